using System.Buffers.Binary;
using System.Globalization;
using System.Text;

namespace MLNetExt.Trainers.WordEmbeddings;

/// <summary>
/// The word2vec C tool's vector files, as <c>word2vec -binary 0|1</c> writes them and gensim's
/// <c>save_word2vec_format</c>/<c>load_word2vec_format</c> read and write them.
/// <list type="bullet">
/// <item>Header line (both): <c>"&lt;V&gt; &lt;D&gt;\n"</c> in ASCII.</item>
/// <item>Binary: per word, its UTF-8 bytes, one space, D little-endian float32 (4·D raw bytes), then <c>'\n'</c>
/// (word2vec.c writes it, gensim 4 does not; the reader accepts both). Round trips are bit-exact.</item>
/// <item>Text: per line, the word and D numbers separated by single spaces. Numbers are written as the shortest
/// decimal that parses back to the same float32 (at most 9 significant digits), so text round trips are exact too;
/// any decimal or exponent notation is read.</item>
/// </list>
/// Words are strict UTF-8 (an invalid byte is reported with the file, line and byte offset); a truncated file is
/// reported with the index of the word being read; header counts are checked against the file size before
/// anything is allocated.
/// </summary>
public static class Word2VecFormat
{
    /// <summary>The largest vector size accepted from a header.</summary>
    public const int MaxVectorSize = 1 << 20;

    /// <summary>Writes <paramref name="vectors"/> to <paramref name="path"/> (replaced atomically).</summary>
    /// <exception cref="ArgumentException">A word is empty or holds whitespace.</exception>
    public static void Write(KeyedVectors vectors, string path, bool binary)
    {
        ArgumentNullException.ThrowIfNull(vectors);
        CheckWords(vectors);
        WordVectorText.WriteAtomically(path, stream => Write(vectors, stream, binary));
    }

    /// <summary>Writes <paramref name="vectors"/> to <paramref name="stream"/>.</summary>
    /// <exception cref="ArgumentException">A word is empty or holds whitespace.</exception>
    public static void Write(KeyedVectors vectors, Stream stream, bool binary)
    {
        ArgumentNullException.ThrowIfNull(vectors);
        ArgumentNullException.ThrowIfNull(stream);
        CheckWords(vectors);
        int d = vectors.VectorSize;
        var output = new BufferedStream(stream, 1 << 16);
        output.Write(Encoding.ASCII.GetBytes(string.Create(CultureInfo.InvariantCulture, $"{vectors.Count} {d}\n")));
        var row = new byte[4 * d];
        var line = new StringBuilder();
        for (int i = 0; i < vectors.Count; i++)
        {
            var vector = vectors.GetVector(i);
            if (binary)
            {
                output.Write(WordVectorText.StrictUtf8.GetBytes(vectors.Words[i]));
                output.WriteByte((byte)' ');
                for (int k = 0; k < d; k++) BinaryPrimitives.WriteSingleLittleEndian(row.AsSpan(4 * k), vector[k]);
                output.Write(row);
                output.WriteByte((byte)'\n');
            }
            else
            {
                line.Clear().Append(vectors.Words[i]);
                foreach (float value in vector) line.Append(' ').Append(WordVectorText.Format(value));
                line.Append('\n');
                output.Write(WordVectorText.StrictUtf8.GetBytes(line.ToString()));
            }
        }
        output.Flush();
    }

    /// <summary>Reads a word2vec file.</summary>
    /// <param name="path">The file.</param>
    /// <param name="binary">Whether it is the binary format.</param>
    /// <param name="limit">Read only the first this many words (gensim's <c>limit</c>); null for all.</param>
    /// <exception cref="InvalidDataException">The file is malformed, truncated or not UTF-8 (the message says where).</exception>
    public static KeyedVectors Read(string path, bool binary, int? limit = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
        return Read(stream, binary, path, limit);
    }

    /// <summary>Reads a word2vec file from <paramref name="stream"/>; <paramref name="sourceName"/> names it in errors.</summary>
    /// <exception cref="InvalidDataException">The data is malformed, truncated or not UTF-8 (the message says where).</exception>
    public static KeyedVectors Read(Stream stream, bool binary, string sourceName, int? limit = null)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(sourceName);
        if (limit is int l) ArgumentOutOfRangeException.ThrowIfNegative(l, nameof(limit));
        long fileLength = stream.CanSeek ? stream.Length - stream.Position : -1;
        Utf8LineReader? reader = null;
        BufferedStream? input = null;
        byte[] headerBytes;
        if (binary)
        {
            input = new BufferedStream(stream, 1 << 16);
            headerBytes = ReadBinaryHeader(input, sourceName);
        }
        else
        {
            reader = new Utf8LineReader(stream);
            if (!reader.TryReadLine(out var line)) throw new InvalidDataException($"'{sourceName}' is empty: expected a header line \"<words> <dimensions>\".");
            headerBytes = line.ToArray();
        }
        var (count, d) = ParseHeader(WordVectorText.Decode(headerBytes, sourceName, 1, 0), sourceName);
        // Each word takes at least its vector plus one separator: 4·D + 1 bytes in binary, 2·D in text.
        long minimumBytes = count * (binary ? 4L * d + 1 : 2L * d);
        if (fileLength >= 0 && minimumBytes > fileLength)
            throw new InvalidDataException($"'{sourceName}': the header announces {count} words of {d} dimensions, which needs at least {minimumBytes} bytes, but the file has {fileLength}.");
        int words = (int)Math.Min(count, limit ?? int.MaxValue);
        if ((long)words * d > Array.MaxLength)
            throw new InvalidDataException($"'{sourceName}': {words} words of {d} dimensions do not fit in one array.");
        var vectors = new float[(long)words * d];
        var names = new string[words];
        if (input is not null) ReadBinary(input, sourceName, names, vectors, d, count, headerBytes.Length + 1);
        else ReadText(reader!, sourceName, names, vectors, d, count);
        try
        {
            return new KeyedVectors(names, vectors, d);
        }
        catch (ArgumentException e)
        {
            throw new InvalidDataException($"'{sourceName}': {e.Message}", e);
        }
    }

    private static (long Count, int Dimensions) ParseHeader(string header, string source)
    {
        var parts = header.Trim().Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length != 2 || !long.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out long count)
            || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out int d))
            throw new InvalidDataException($"'{source}': the header \"{header}\" is not \"<words> <dimensions>\".");
        if (d < 1 || d > MaxVectorSize)
            throw new InvalidDataException($"'{source}': the header's dimension {d} is outside [1, {MaxVectorSize}].");
        if (count > Array.MaxLength)
            throw new InvalidDataException($"'{source}': the header's word count {count} is larger than any array.");
        return (count, d);
    }

    private static void ReadText(Utf8LineReader reader, string source, string[] names, float[] vectors, int d, long count)
    {
        for (int i = 0; i < names.Length; i++)
        {
            if (!reader.TryReadLine(out var bytes))
                throw new InvalidDataException($"'{source}' is truncated: it ends before word {i} of the {count} its header announces.");
            string line = WordVectorText.Decode(bytes, source, reader.LineNumber, reader.LineOffset).TrimEnd(' ', '\r', '\t');
            int space = line.IndexOf(' ');
            if (space <= 0) throw new InvalidDataException($"'{source}' line {reader.LineNumber} (word {i}): expected a word and {d} numbers.");
            names[i] = line[..space];
            var rest = line.AsSpan(space + 1);
            int k = 0;
            foreach (var range in rest.Split(' '))
            {
                var token = rest[range];
                if (token.IsEmpty) continue;
                if (k == d) throw new InvalidDataException($"'{source}' line {reader.LineNumber} (word {i}, '{names[i]}'): more than {d} numbers.");
                vectors[(long)i * d + k++] = WordVectorText.ParseFloat(token, source, reader.LineNumber);
            }
            if (k != d) throw new InvalidDataException($"'{source}' line {reader.LineNumber} (word {i}, '{names[i]}'): {k} numbers where the header announces {d}.");
        }
    }

    private static byte[] ReadBinaryHeader(BufferedStream input, string source)
    {
        var header = new List<byte>(32);
        while (true)
        {
            int b = input.ReadByte();
            if (b < 0)
                throw new InvalidDataException(header.Count == 0
                    ? $"'{source}' is empty: expected a header line \"<words> <dimensions>\"."
                    : $"'{source}' ends inside its header line.");
            if (b == '\n') return header.ToArray();
            header.Add((byte)b);
            if (header.Count > 256) throw new InvalidDataException($"'{source}': no header line \"<words> <dimensions>\" within the first 256 bytes.");
        }
    }

    private static void ReadBinary(BufferedStream input, string source, string[] names, float[] vectors, int d, long count, long headerLength)
    {
        long offset = headerLength;
        var word = new List<byte>(64);
        var row = new byte[4 * d];
        for (int i = 0; i < names.Length; i++)
        {
            word.Clear();
            long wordOffset = offset;
            while (true)
            {
                int b = input.ReadByte();
                if (b < 0) throw Truncated(source, i, count, "in its word");
                offset++;
                if (b == ' ') break;
                if (word.Count == 0 && b is '\n' or '\r')
                {
                    wordOffset = offset;
                    continue;
                }
                word.Add((byte)b);
                if (word.Count > 1 << 16) throw new InvalidDataException($"'{source}': word {i} at byte offset {wordOffset} is longer than 65536 bytes; the file is not in the binary word2vec format.");
            }
            if (word.Count == 0) throw new InvalidDataException($"'{source}': word {i} at byte offset {wordOffset} is empty.");
            names[i] = WordVectorText.Decode(word.ToArray(), source, 0, wordOffset);
            int read = input.ReadAtLeast(row, row.Length, throwOnEndOfStream: false);
            if (read < row.Length) throw Truncated(source, i, count, $"in its vector ({read} of {row.Length} bytes)");
            offset += row.Length;
            for (int k = 0; k < d; k++) vectors[(long)i * d + k] = BinaryPrimitives.ReadSingleLittleEndian(row.AsSpan(4 * k));
        }
    }

    private static InvalidDataException Truncated(string source, int index, long count, string where)
        => new($"'{source}' is truncated: it ends {where} at word {index} of the {count} its header announces.");

    private static void CheckWords(KeyedVectors vectors)
    {
        for (int i = 0; i < vectors.Count; i++) WordVectorText.CheckWritable(vectors.Words[i], i);
    }
}
