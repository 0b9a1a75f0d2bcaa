namespace MLNetExt.Trainers.WordEmbeddings;

/// <summary>
/// Reads a stream line by line as raw bytes (lines end at '\n'; a trailing '\r' is kept for the caller to trim),
/// tracking the 1-based line number and the byte offset of each line, so that decoding errors can point at them.
/// </summary>
internal sealed class Utf8LineReader(Stream stream)
{
    private byte[] _buffer = new byte[1 << 16];
    private int _start, _end;
    private bool _eof;
    private long _consumed;

    /// <summary>The 1-based number of the line last returned.</summary>
    public long LineNumber { get; private set; }

    /// <summary>The byte offset in the stream of the line last returned.</summary>
    public long LineOffset { get; private set; }

    /// <summary>The next line without its '\n', or false at the end of the stream.</summary>
    public bool TryReadLine(out ReadOnlySpan<byte> line)
    {
        while (true)
        {
            int newline = _buffer.AsSpan(_start, _end - _start).IndexOf((byte)'\n');
            if (newline >= 0)
            {
                line = Take(newline, 1);
                return true;
            }
            if (_eof)
            {
                if (_end == _start)
                {
                    line = default;
                    return false;
                }
                line = Take(_end - _start, 0);
                return true;
            }
            Fill();
        }
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
        if (_end == _buffer.Length) Array.Resize(ref _buffer, _buffer.Length * 2);
        int read = stream.Read(_buffer, _end, _buffer.Length - _end);
        if (read == 0) _eof = true;
        _end += read;
    }
}
