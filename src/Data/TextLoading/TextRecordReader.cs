using System.Text;

namespace MLNetExt.Data;

/// <summary>
/// Streams the records of a delimited text file and splits each into fields (RFC 4180 quoting when allowed),
/// keeping the line number each record starts on for error messages.
/// </summary>
internal sealed class TextRecordReader : IDisposable
{
    private readonly TextReader _reader;
    private readonly string _path;
    private readonly char[] _separators;
    private readonly bool _allowQuoting;
    private readonly bool _trimWhitespace;
    private readonly bool _readMultilines;
    private readonly StringBuilder _quoted = new();
    private long _lineNumber;

    public TextRecordReader(string path, TextLoader.Options options)
    {
        _path = path;
        _reader = new StreamReader(path, Encoding.UTF8, detectEncodingFromByteOrderMarks: true);
        _separators = options.Separators;
        _allowQuoting = options.AllowQuoting;
        _trimWhitespace = options.TrimWhitespace;
        _readMultilines = options.ReadMultilines;
    }

    /// <summary>The fields of the current record.</summary>
    public List<ReadOnlyMemory<char>> Fields { get; } = [];

    /// <summary>The 1-based line number the current record starts on.</summary>
    public long RecordLine { get; private set; }

    /// <summary>Reads the next record that is neither empty nor a <c>//</c> comment; false at the end of the file.</summary>
    public bool ReadRecord()
    {
        string? line;
        do
        {
            line = _reader.ReadLine();
            if (line is null)
                return false;
            _lineNumber++;
        }
        while (string.IsNullOrWhiteSpace(line) || line.StartsWith("//", StringComparison.Ordinal));
        RecordLine = _lineNumber;
        Split(line);
        return true;
    }

    private void Split(string line)
    {
        Fields.Clear();
        int start = 0;
        while (true)
        {
            if (_allowQuoting && FirstNonBlank(line, start) is int quote && quote < line.Length && line[quote] == '"')
            {
                (line, start) = ReadQuoted(line, quote + 1);
            }
            else
            {
                int end = line.AsSpan(start).IndexOfAny(_separators);
                end = end < 0 ? line.Length : start + end;
                var field = line.AsMemory(start, end - start);
                Fields.Add(_trimWhitespace ? field.Trim() : field);
                start = end;
            }
            if (start >= line.Length)
                return;
            start++;
            if (start == line.Length)
            {
                Fields.Add(ReadOnlyMemory<char>.Empty);
                return;
            }
        }
    }

    private static int FirstNonBlank(string line, int start)
    {
        while (start < line.Length && line[start] == ' ')
            start++;
        return start;
    }

    /// <summary>
    /// Reads a quoted field whose content starts at <paramref name="position"/>; returns the (possibly extended)
    /// line and the index just past the field, which is a separator or the end of the line.
    /// </summary>
    private (string Line, int End) ReadQuoted(string line, int position)
    {
        _quoted.Clear();
        while (true)
        {
            int close = line.IndexOf('"', position);
            if (close < 0)
            {
                _quoted.Append(line, position, line.Length - position);
                string? next = _readMultilines ? _reader.ReadLine() : null;
                if (next is null)
                    throw new FormatException(
                        $"Unterminated quoted field at line {RecordLine} of file '{_path}'" +
                        (_readMultilines ? " (the file ends inside the quotes)." : "; set ReadMultilines to let quoted fields span lines."));
                _lineNumber++;
                _quoted.Append('\n');
                line = next;
                position = 0;
                continue;
            }
            _quoted.Append(line, position, close - position);
            if (close + 1 < line.Length && line[close + 1] == '"')
            {
                _quoted.Append('"');
                position = close + 2;
                continue;
            }
            int end = FirstNonBlank(line, close + 1);
            if (end < line.Length && Array.IndexOf(_separators, line[end]) < 0)
                throw new FormatException(
                    $"Unexpected text '{line[end..Math.Min(line.Length, end + 20)]}' after a closing quote at line {_lineNumber} of file '{_path}'; a quoted field must be followed by a separator.");
            Fields.Add(_quoted.ToString().AsMemory());
            return (line, end);
        }
    }

    public void Dispose() => _reader.Dispose();
}
