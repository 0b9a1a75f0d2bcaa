using System.Globalization;

namespace MLNetExt.Trainers.WordEmbeddings;

/// <summary>
/// Reads a stream line by line as raw bytes (lines end at '\n'; a trailing '\r' is kept for the caller to trim),
/// tracking the 1-based line number and the byte offset of each line, so that decoding errors can point at them.
/// A UTF-8 byte-order mark at the very start is skipped (offsets still count it). No line may be longer than
/// <see cref="MaxLineBytes"/>: the buffer never grows past it, so a file without line breaks (<c>/dev/zero</c>)
/// ends in an error naming the file and the line instead of exhausting memory.
/// </summary>
internal sealed class Utf8LineReader
{
    private readonly Stream _stream;
    private readonly string _source;
    private readonly string _lineKind;
    private byte[] _buffer;
    private int _start, _end;
    private bool _eof, _started;
    private long _consumed;

    /// <param name="stream">The stream, read from its current position.</param>
    /// <param name="source">The file's name, for errors.</param>
    /// <param name="maxLineBytes">The longest line accepted, without its '\n'.</param>
    /// <param name="lineKind">What a line is, for the error when one is too long (e.g. "a line of a text vector file").</param>
    public Utf8LineReader(Stream stream, string source, int maxLineBytes, string lineKind)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxLineBytes, 1);
        _stream = stream;
        _source = source;
        _lineKind = lineKind;
        MaxLineBytes = maxLineBytes;
        _buffer = new byte[Math.Max(4, Math.Min(1 << 16, maxLineBytes + 1))];
    }

    /// <summary>The longest line accepted (without its '\n'); it may be changed between lines (e.g. after a header).</summary>
    public int MaxLineBytes { get; set; }

    /// <summary>The 1-based number of the line last returned.</summary>
    public long LineNumber { get; private set; }

    /// <summary>The byte offset in the stream of the line last returned.</summary>
    public long LineOffset { get; private set; }

    /// <summary>The number of bytes consumed so far: the offset of the next line.</summary>
    public long Position => _consumed;

    /// <summary>The next line without its '\n', or false at the end of the stream.</summary>
    /// <exception cref="InvalidDataException">The line is longer than <see cref="MaxLineBytes"/>.</exception>
    public bool TryReadLine(out ReadOnlySpan<byte> line)
    {
        if (!_started) SkipByteOrderMark();
        int searched = 0;
        while (true)
        {
            int available = _end - _start;
            int newline = _buffer.AsSpan(_start + searched, available - searched).IndexOf((byte)'\n');
            if (newline >= 0)
            {
                CheckLength(searched + newline);
                line = Take(searched + newline, 1);
                return true;
            }
            searched = available;
            CheckLength(available);
            if (_eof)
            {
                if (available == 0)
                {
                    line = default;
                    return false;
                }
                line = Take(available, 0);
                return true;
            }
            Fill();
        }
    }

    private void CheckLength(int length)
    {
        if (length > MaxLineBytes)
            throw new InvalidDataException(
                string.Create(CultureInfo.InvariantCulture, $"'{_source}': line {LineNumber + 1} (at byte offset {_consumed}) is longer than {MaxLineBytes:N0} bytes, the longest {_lineKind} read; the file is damaged or not in this format."));
    }

    private ReadOnlySpan<byte> Take(int length, int terminator)
    {
        var line = new ReadOnlySpan<byte>(_buffer, _start, length);
        LineOffset = _consumed;
        LineNumber++;
        _consumed += length + terminator;
        _start += length + terminator;
        return line;
    }

    private void Fill()
    {
        if (_start > 0)
        {
            Buffer.BlockCopy(_buffer, _start, _buffer, 0, _end - _start);
            _end -= _start;
            _start = 0;
        }
        // Grow only as far as one byte past the longest line, so that an over-long line is seen without reading more.
        if (_end == _buffer.Length)
            Array.Resize(ref _buffer, (int)Math.Min((long)_buffer.Length * 2, (long)MaxLineBytes + 1));
        int read = _stream.Read(_buffer, _end, _buffer.Length - _end);
        if (read == 0) _eof = true;
        _end += read;
    }

    private void SkipByteOrderMark()
    {
        _started = true;
        while (_end < WordVectorText.ByteOrderMark.Length && !_eof) Fill();
        if (_buffer.AsSpan(0, _end).StartsWith(WordVectorText.ByteOrderMark))
        {
            _start = WordVectorText.ByteOrderMark.Length;
            _consumed = _start;
        }
    }
}
