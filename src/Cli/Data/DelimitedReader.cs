using System.Globalization;
using System.Text;

namespace MLNetExt.Cli.Data;

/// <summary>
/// Reads the records of a CSV/TSV file one line at a time, split into fields as ML.NET's text loader splits them
/// (separator, double-quoted fields with <c>""</c> for a quote, empty lines and <c>//</c> comment lines skipped), within
/// fixed bounds: a line holds at most <see cref="MaxLineBytes"/> bytes, a field <see cref="MaxFieldChars"/> characters,
/// a record <see cref="MaxFields"/> fields. An unquoted field loses the blanks (spaces, tabs) around it, as the loader
/// trims them; a quoted one is its text between the quotes, as is. What the loader would read silently wrong is refused: bytes that are not
/// UTF-8, a NUL byte, a quoted field that does not end on its line (records never span lines) and text after a
/// closing quote. Every error is a <see cref="CliException"/> that names the file and the line.
/// </summary>
internal sealed class DelimitedReader : IDisposable
{
    /// <summary>The longest line read, in bytes (1 MiB); a longer one is an error, so no input makes a line's memory grow further.</summary>
    public const int MaxLineBytes = 1 << 20;

    /// <summary>The longest field, in characters (256 Ki).</summary>
    public const int MaxFieldChars = 1 << 18;

    /// <summary>The most fields in one record (65,536).</summary>
    public const int MaxFields = 1 << 16;

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private readonly Stream _stream;
    private readonly byte[] _buffer = new byte[1 << 16];
    private readonly StringBuilder _field = new();
    private byte[] _line = new byte[1 << 12];
    private int _position, _count;
    private bool _skipLineFeed;

    private DelimitedReader(string path, char separator, Stream stream)
    {
        Path = path;
        Separator = separator;
        _stream = stream;
    }

    /// <summary>The file, as errors name it.</summary>
    public string Path { get; }

    public char Separator { get; }

    /// <summary>The 1-based number of the line last read (empty and comment lines count).</summary>
    public int LineNumber { get; private set; }

    /// <summary>Opens <paramref name="path"/>; a missing file, a directory or an unreadable file is a <see cref="CliException"/>.</summary>
    public static DelimitedReader Open(string path, char separator)
    {
        if (Directory.Exists(path))
            throw new CliException($"Dataset '{path}' is a directory; give a CSV or TSV file.");
        if (!File.Exists(path))
            throw new CliException($"Dataset file '{path}' does not exist.");
        try
        {
            return new DelimitedReader(path, separator, new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1, FileOptions.SequentialScan));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CliException($"Dataset file '{path}' cannot be read: {e.Message}");
        }
    }

    public void Dispose() => _stream.Dispose();

    /// <summary>Reads the next record into <paramref name="fields"/> (cleared first); false at the end of the file.</summary>
    public bool Next(List<string> fields)
    {
        while (ReadLine(out int length))
        {
            string line = Decode(length);
            if (line.Length == 0 || line.StartsWith("//", StringComparison.Ordinal))
                continue;
            Split(line, fields);
            return true;
        }
        return false;
    }

    /// <summary>An error about the line last read.</summary>
    public CliException Error(string problem) => new($"Dataset file '{Path}', line {LineNumber}: {problem}");

    // Reads the next line's bytes (without its line break: \n, \r\n or \r, as TextReader.ReadLine) into _line.
    private bool ReadLine(out int length)
    {
        length = 0;
        bool started = false;
        while (true)
        {
            if (_position == _count)
            {
                _count = ReadBlock();
                _position = 0;
                if (_count == 0)
                {
                    if (!started)
                        return false;
                    LineNumber++;
                    return true;
                }
            }
            if (_skipLineFeed)
            {
                _skipLineFeed = false;
                if (_buffer[_position] == (byte)'\n')
                {
                    _position++;
                    continue;
                }
            }
            started = true;
            var rest = _buffer.AsSpan(_position, _count - _position);
            int end = rest.IndexOfAny((byte)'\n', (byte)'\r');
            Append(end < 0 ? rest : rest[..end], ref length);
            if (end < 0)
            {
                _position = _count;
                continue;
            }
            _skipLineFeed = rest[end] == (byte)'\r';
            _position += end + 1;
            LineNumber++;
            return true;
        }
    }

    private int ReadBlock()
    {
        try
        {
            return _stream.Read(_buffer, 0, _buffer.Length);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or NotSupportedException)
        {
            throw new CliException($"Dataset file '{Path}' cannot be read after line {LineNumber}: {e.Message}");
        }
    }

    private void Append(ReadOnlySpan<byte> bytes, ref int length)
    {
        if (LineNumber == 0 && length == 0 && (bytes.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xFE]) || bytes.StartsWith((ReadOnlySpan<byte>)[0xFE, 0xFF])))
            throw new CliException($"Dataset file '{Path}' is UTF-16 text; mlnetext reads UTF-8: save the file as UTF-8.");
        if (bytes.Length > MaxLineBytes - length)
            throw new CliException($"Dataset file '{Path}', line {LineNumber + 1}: the line is longer than {MaxLineBytes:N0} bytes, the most mlnetext reads in one line "
                + "(is it a text file with one record per line?).");
        int zero = bytes.IndexOf((byte)0);
        if (zero >= 0)
            throw new CliException($"Dataset file '{Path}', line {LineNumber + 1}, byte {length + zero + 1}: a NUL byte; a CSV/TSV file is text (is it a binary file?).");
        if (length + bytes.Length > _line.Length)
            Array.Resize(ref _line, Math.Min(MaxLineBytes, Math.Max(2 * _line.Length, length + bytes.Length)));
        bytes.CopyTo(_line.AsSpan(length));
        length += bytes.Length;
    }

    private string Decode(int length)
    {
        var bytes = _line.AsSpan(0, length);
        if (LineNumber == 1 && bytes.StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF]))
            bytes = bytes[3..];
        try
        {
            return StrictUtf8.GetString(bytes);
        }
        catch (DecoderFallbackException e)
        {
            string at = e.BytesUnknown is { Length: > 0 } unknown
                ? $"byte 0x{unknown[0]:X2}" + (e.Index >= 0 ? string.Create(CultureInfo.InvariantCulture, $" at byte {e.Index + 1} of the line") : "")
                : "a byte";
            throw Error($"{at} is not UTF-8 text; mlnetext reads UTF-8: save the file as UTF-8.");
        }
    }

    // Splits as ML.NET's text loader with AllowQuoting and TrimWhitespace: a field whose first non-blank character is a
    // quote is quoted to the next lone quote ("" is a quote); only blanks may follow it before the separator.
    private void Split(string line, List<string> fields)
    {
        fields.Clear();
        int i = 0;
        while (true)
        {
            if (fields.Count == MaxFields)
                throw Error($"the record has more than {MaxFields:N0} fields, the most mlnetext reads.");
            int start = i;
            while (start < line.Length && IsBlank(line[start]))
                start++;
            if (start < line.Length && line[start] == '"')
            {
                _field.Clear();
                int j = start + 1;
                while (true)
                {
                    if (j >= line.Length)
                        throw Error($"field {fields.Count + 1} opens a quote that does not close on this line; a record is one line (a quoted field cannot hold a line break).");
                    char c = line[j];
                    if (c == '"')
                    {
                        if (j + 1 < line.Length && line[j + 1] == '"')
                        {
                            _field.Append('"');
                            j += 2;
                            continue;
                        }
                        j++;
                        break;
                    }
                    _field.Append(c);
                    j++;
                    if (_field.Length > MaxFieldChars)
                        throw FieldTooLong(fields.Count);
                }
                while (j < line.Length && IsBlank(line[j]))
                    j++;
                if (j < line.Length && line[j] != Separator)
                    throw Error($"field {fields.Count + 1} has text after its closing quote; quote the whole field (a quote inside is written \"\").");
                fields.Add(_field.ToString());
                if (j >= line.Length)
                    return;
                i = j + 1;
                continue;
            }
            int end = line.IndexOf(Separator, i);
            if (end < 0)
                end = line.Length;
            if (end - i > MaxFieldChars)
                throw FieldTooLong(fields.Count);
            // Unquoted, blanks around the value are not part of it (the loader trims them too).
            int first = i, last = end;
            while (first < last && IsBlank(line[first]))
                first++;
            while (last > first && IsBlank(line[last - 1]))
                last--;
            fields.Add(line[first..last]);
            if (end == line.Length)
                return;
            i = end + 1;
        }
    }

    private CliException FieldTooLong(int index) => Error($"field {index + 1} is longer than {MaxFieldChars:N0} characters, the most mlnetext reads in one field.");

    private bool IsBlank(char c) => (c == ' ' || c == '\t') && c != Separator;
}
