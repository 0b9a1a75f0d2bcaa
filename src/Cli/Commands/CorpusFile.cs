using System.Buffers;
using System.Globalization;
using System.Text;
using MLNetExt.Trainers.WordEmbeddings;

namespace MLNetExt.Cli.Commands;

/// <summary>
/// A UTF-8 text file read as a corpus: each line is one sentence of whitespace-separated tokens (a line may hold
/// several sentences; they are trained as one, as word2vec.c and gensim's <c>LineSentence</c> do), blank lines skipped.
/// Each enumeration reads the file again from the start, so a trainer may pass over it more than once without it
/// being held in memory; the cancellation token is checked at every sentence and every 64 KiB read.
/// </summary>
/// <remarks>
/// The file is streamed token by token, never a whole line at a time, so memory stays bounded whatever the file holds:
/// a line of more than <see cref="MaxSentenceTokens"/> tokens is cut into sentences of that many (gensim's
/// <c>LineSentence</c> does the same; text8 is one 100 MB line), and a token longer than <see cref="MaxTokenBytes"/>
/// (a file without whitespace, such as <c>/dev/zero</c>) is an error naming the file, the line and the byte offset.
/// Tokens are separated by the characters <see cref="char.IsWhiteSpace(char)"/> accepts; lines end at '\n', '\r' or
/// "\r\n". Invalid UTF-8 is an error naming the line and the byte offset; a byte-order mark at the start is skipped.
/// </remarks>
/// <param name="path">The file; it must exist.</param>
/// <param name="cancellation">Stops the reading with an <see cref="OperationCanceledException"/>.</param>
internal sealed class CorpusFile(string path, CancellationToken cancellation) : IEnumerable<IReadOnlyList<string>>
{
    /// <summary>The longest token read, in UTF-8 bytes (64 KiB, as the word-vector files' words).</summary>
    public const int MaxTokenBytes = WordVectorFiles.MaxWordBytes;

    /// <summary>The most tokens in one sentence; longer lines are cut (gensim's <c>LineSentence</c> default).</summary>
    public const int MaxSentenceTokens = 10_000;

    // ASCII whitespace: what char.IsWhiteSpace accepts below 0x80 (tab, LF, VT, FF, CR, space).
    private static readonly SearchValues<byte> AsciiWhiteSpace = SearchValues.Create([9, 10, 11, 12, 13, 32]);

    /// <summary>Checks that <paramref name="file"/> exists and is a file, naming the <paramref name="option"/> that gave it.</summary>
    public static CorpusFile Open(FileInfo file, string option, CancellationToken cancellation)
    {
        if (Directory.Exists(file.FullName))
            throw new CliException($"{option}: '{file.FullName}' is a directory, not a corpus file.");
        return file.Exists ? new CorpusFile(file.FullName, cancellation) : throw new CliException($"{option}: the corpus file '{file.FullName}' does not exist.");
    }

    /// <summary>The file's full path.</summary>
    public string Path => path;

    /// <exception cref="InvalidDataException">A token is too long or the file is not UTF-8 (the message names the file, line and offset), or it is a directory.</exception>
    /// <exception cref="IOException">The file cannot be read (the message names it).</exception>
    public IEnumerator<IReadOnlyList<string>> GetEnumerator()
    {
        using var stream = OpenRead();
        var buffer = new byte[1 << 16];
        var token = new byte[256];
        int tokenLength = 0;
        long tokenOffset = 0, offset = 0, line = 1;
        bool tokenHasNonAscii = false, lastWasCarriageReturn = false, first = true;
        var sentence = new List<string>();
        while (true)
        {
            cancellation.ThrowIfCancellationRequested();
            int read = Read(stream, buffer), position = 0;
            if (first)
            {
                first = false;
                if (buffer.AsSpan(0, read).StartsWith(ByteOrderMark))
                    offset = position = ByteOrderMark.Length;
            }
            if (read == 0)
            {
                EndToken();
                if (sentence.Count > 0)
                    yield return sentence.ToArray();
                yield break;
            }
            while (position < read)
            {
                int gap = buffer.AsSpan(position, read - position).IndexOfAny(AsciiWhiteSpace);
                int length = gap < 0 ? read - position : gap;
                if (length > 0)
                {
                    if (tokenLength == 0)
                        tokenOffset = offset;
                    AppendToToken(buffer.AsSpan(position, length));
                    offset += length;
                    position += length;
                    lastWasCarriageReturn = false;
                }
                if (gap < 0)
                    break;
                byte separator = buffer[position++];
                offset++;
                EndToken();
                if (separator is (byte)'\n' or (byte)'\r')
                {
                    if (!(separator == '\n' && lastWasCarriageReturn))
                        line++;
                    lastWasCarriageReturn = separator == '\r';
                    if (sentence.Count > 0)
                    {
                        yield return sentence.ToArray();
                        sentence.Clear();
                        cancellation.ThrowIfCancellationRequested();
                    }
                }
                else
                {
                    lastWasCarriageReturn = false;
                }
                while (sentence.Count >= MaxSentenceTokens)
                {
                    yield return sentence.GetRange(0, MaxSentenceTokens).ToArray();
                    sentence.RemoveRange(0, MaxSentenceTokens);
                    cancellation.ThrowIfCancellationRequested();
                }
            }
        }

        void AppendToToken(ReadOnlySpan<byte> bytes)
        {
            if (tokenLength + bytes.Length > MaxTokenBytes)
                throw new InvalidDataException(
                    string.Create(CultureInfo.InvariantCulture, $"'{path}' line {line}: the token at byte offset {tokenOffset} is longer than {MaxTokenBytes:N0} bytes; a corpus is text with its words separated by whitespace."));
            if (tokenLength + bytes.Length > token.Length)
                Array.Resize(ref token, Math.Min(MaxTokenBytes, Math.Max(token.Length * 2, tokenLength + bytes.Length)));
            bytes.CopyTo(token.AsSpan(tokenLength));
            tokenLength += bytes.Length;
            tokenHasNonAscii |= bytes.ContainsAnyExceptInRange((byte)0, (byte)0x7F);
        }

        void EndToken()
        {
            if (tokenLength == 0)
                return;
            string text = Decode(token.AsSpan(0, tokenLength), line, tokenOffset);
            // Whitespace beyond ASCII (no-break space, U+2000…, U+3000) separates tokens too, as string.Split does.
            if (tokenHasNonAscii && text.AsSpan().IndexOfAny(NonAsciiWhiteSpace) >= 0)
            {
                foreach (string piece in text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries))
                    sentence.Add(piece);
            }
            else
            {
                sentence.Add(text);
            }
            tokenLength = 0;
            tokenHasNonAscii = false;
        }
    }

    private static readonly SearchValues<char> NonAsciiWhiteSpace = SearchValues.Create(
        string.Concat(Enumerable.Range(0x80, 0x10000 - 0x80).Select(c => (char)c).Where(char.IsWhiteSpace)));

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private static ReadOnlySpan<byte> ByteOrderMark => [0xEF, 0xBB, 0xBF];

    private FileStream OpenRead()
    {
        if (Directory.Exists(path))
            throw new InvalidDataException($"'{path}' is a directory, not a corpus file.");
        try
        {
            return new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
        }
        catch (UnauthorizedAccessException e)
        {
            throw new IOException($"'{path}' cannot be read: {e.Message}", e);
        }
    }

    private string Decode(ReadOnlySpan<byte> bytes, long line, long offset)
    {
        try
        {
            return StrictUtf8.GetString(bytes);
        }
        catch (DecoderFallbackException e)
        {
            int at = Math.Clamp(e.Index, 0, bytes.Length - 1);
            throw new InvalidDataException($"'{path}' is not valid UTF-8: invalid byte 0x{bytes[at]:X2} at line {line}, byte offset {offset + at}.", e);
        }
    }

    private int Read(Stream stream, byte[] buffer)
    {
        try
        {
            return stream.Read(buffer, 0, buffer.Length);
        }
        catch (IOException e)
        {
            throw new IOException($"'{path}' could not be read: {e.Message}", e);
        }
    }

    System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
}
