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
/// reported with the index of the word being read; header counts are checked against hard limits and the file size
/// before anything is allocated (a stream of unknown length grows with what is read instead); NaN and infinite values
/// are refused with the line (text) or the word and byte offset (binary); a repeated word is refused with both places.
/// Lines, words and numbers are capped (see <see cref="WordVectorFiles"/>). A UTF-8 byte-order mark before the header
/// is skipped.
/// </summary>
public static class Word2VecFormat
{
    /// <summary>The largest vector size accepted from a header.</summary>
    public const int MaxVectorSize = 1 << 20;

    /// <summary>Writes <paramref name="vectors"/> to <paramref name="path"/> (replaced atomically: a failed write leaves the previous file and no temporary file).</summary>
    /// <exception cref="ArgumentException">A word is empty or holds whitespace, or a value is NaN or infinite.</exception>
    public static void Write(KeyedVectors vectors, string path, bool binary)
    {
        ArgumentNullException.ThrowIfNull(vectors);
        CheckWords(vectors);
        WordVectorText.WriteAtomically(path, stream => Write(vectors, stream, binary));
    }

    /// <summary>Writes <paramref name="vectors"/> to <paramref name="stream"/>.</summary>
    /// <exception cref="ArgumentException">A word is empty or holds whitespace, or a value is NaN or infinite.</exception>
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
    /// <exception cref="InvalidDataException">The file is malformed, truncated, not UTF-8, holds a NaN or infinite value, goes past a cap, or is a directory (the message says where).</exception>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="IOException">The file cannot be read (the message names it).</exception>
    public static KeyedVectors Read(string path, bool binary, int? limit = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        if (limit is int l) ArgumentOutOfRangeException.ThrowIfNegative(l, nameof(limit));
        using var stream = WordVectorText.OpenRead(path, $"a word2vec {(binary ? "binary" : "text")} file");
        return Read(stream, binary, path, limit);
    }

    /// <summary>Reads a word2vec file from <paramref name="stream"/>; <paramref name="sourceName"/> names it in errors.</summary>
    /// <exception cref="InvalidDataException">The data is malformed, truncated, not UTF-8, holds a NaN or infinite value or goes past a cap (the message says where).</exception>
    /// <exception cref="IOException">The stream cannot be read (the message names it).</exception>
    public static KeyedVectors Read(Stream stream, bool binary, string sourceName, int? limit = null)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(sourceName);
        if (limit is int l) ArgumentOutOfRangeException.ThrowIfNegative(l, nameof(limit));
        return WordVectorText.AtTheEdge(sourceName, () => ReadChecked(stream, binary, sourceName, limit));
    }

    private static KeyedVectors ReadChecked(Stream stream, bool binary, string sourceName, int? limit)
    {
        long fileLength = WordVectorText.RemainingLength(stream);
        Utf8LineReader? reader = null;
        BufferedStream? input = null;
        byte[] headerBytes;
        long headerLength;
        if (binary)
        {
            input = new BufferedStream(stream, 1 << 16);
            (headerBytes, headerLength) = ReadBinaryHeader(input, sourceName);
        }
        else
        {
            reader = new Utf8LineReader(stream, sourceName, MaxHeaderBytes, "header line");
            if (!reader.TryReadLine(out var line)) throw new InvalidDataException($"'{sourceName}' is empty: expected a header line \"<words> <dimensions>\".");
            headerBytes = line.ToArray();
            headerLength = reader.Position;
            reader.MaxLineBytes = WordVectorFiles.MaxLineBytes;
        }
        var (count, d) = ParseHeader(WordVectorText.Decode(headerBytes, sourceName, 1, 0), sourceName);
        // Each word takes at least its vector plus one separator: 4·D + 1 bytes in binary, 2·D in text.
        long minimumBytes = count * (binary ? 4L * d + 1 : 2L * d);
        if (fileLength >= 0 && minimumBytes > fileLength - headerLength)
            throw new InvalidDataException($"'{sourceName}': the header announces {count} words of {d} dimensions, which needs at least {minimumBytes} bytes after the header, but the file has {Math.Max(0, fileLength - headerLength)}.");
        int words = (int)Math.Min(count, limit ?? int.MaxValue);
        if ((long)words * d > Array.MaxLength)
            throw new InvalidDataException(string.Create(CultureInfo.InvariantCulture, $"'{sourceName}': {words} words of {d} dimensions do not fit in one array (at most {Array.MaxLength:N0} values)."));
        // A file of known length was checked against the header: allocate once. Otherwise (a pipe, a device) grow with
        // what is actually read, so that the header alone never decides how much is allocated.
        var rows = new RowBuffer(words, d, exact: fileLength >= 0);
        if (input is not null) ReadBinary(input, sourceName, rows, count, headerLength);
        else ReadText(reader!, sourceName, rows, count);
        return rows.ToVectors();
    }

    /// <summary>The longest header line read ("V D" plus a '\r').</summary>
    internal const int MaxHeaderBytes = 256;

    private static (long Count, int Dimensions) ParseHeader(string header, string source)
    {
        var parts = header.Split((char[])[' ', '\t', '\r'], StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length != 2 || !long.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out long count)
            || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out int d))
            throw new InvalidDataException(string.Create(CultureInfo.InvariantCulture, $"'{source}': the header \"{WordVectorText.Show(header)}\" is not \"<words> <dimensions>\" (two whole numbers, the dimensions at most {MaxVectorSize:N0})."));
        if (d < 1 || d > MaxVectorSize)
            throw new InvalidDataException($"'{source}': the header's dimension {d} is outside [1, {MaxVectorSize}].");
        if (count > Array.MaxLength)
            throw new InvalidDataException(string.Create(CultureInfo.InvariantCulture, $"'{source}': the header's word count {count} is larger than any array ({Array.MaxLength:N0})."));
        return (count, d);
    }

    private static void ReadText(Utf8LineReader reader, string source, RowBuffer rows, long count)
    {
        int d = rows.Dimensions;
        for (int i = 0; i < rows.Words; i++)
        {
            if (!reader.TryReadLine(out var bytes))
                throw new InvalidDataException($"'{source}' is truncated: it ends before word {i} of the {count} its header announces.");
            long lineNumber = reader.LineNumber;
            string line = WordVectorText.Decode(bytes, source, lineNumber, reader.LineOffset).TrimEnd(' ', '\r', '\t');
            int space = line.IndexOf(' ');
            if (space <= 0) throw new InvalidDataException($"'{source}' line {lineNumber} (word {i}): expected a word and {d} numbers.");
            string word = line[..space];
            WordVectorText.CheckWordLength(word, source, $"line {lineNumber} (word {i})");
            var vector = rows.Add(word, source, $"line {lineNumber}");
            var rest = line.AsSpan(space + 1);
            int k = 0;
            foreach (var range in rest.Split(' '))
            {
                var token = rest[range];
                if (token.IsEmpty) continue;
                if (k == d) throw new InvalidDataException($"'{source}' line {lineNumber} (word {i}, '{WordVectorText.Show(word)}'): more than {d} numbers.");
                vector[k] = WordVectorText.ParseFloat(token, source, lineNumber, k);
                k++;
            }
            if (k != d) throw new InvalidDataException($"'{source}' line {lineNumber} (word {i}, '{WordVectorText.Show(word)}'): {k} numbers where the header announces {d}.");
        }
    }

    private static (byte[] Header, long Length) ReadBinaryHeader(BufferedStream input, string source)
    {
        var header = new List<byte>(32);
        long length = 0;
        while (true)
        {
            int b = input.ReadByte();
            if (b < 0)
                throw new InvalidDataException(header.Count == 0
                    ? $"'{source}' is empty: expected a header line \"<words> <dimensions>\"."
                    : $"'{source}' ends inside its header line.");
            length++;
            if (b == '\n') return (header.ToArray(), length);
            header.Add((byte)b);
            // A byte-order mark before the ASCII header is tolerated, as in the text formats.
            if (header.Count == 3 && length == 3 && header.SequenceEqual(WordVectorText.ByteOrderMark.ToArray())) header.Clear();
            if (header.Count > MaxHeaderBytes) throw new InvalidDataException($"'{source}': no header line \"<words> <dimensions>\" within the first {MaxHeaderBytes} bytes.");
        }
    }

    private static void ReadBinary(BufferedStream input, string source, RowBuffer rows, long count, long headerLength)
    {
        int d = rows.Dimensions;
        long offset = headerLength;
        var word = new List<byte>(64);
        var row = new byte[4 * d];
        for (int i = 0; i < rows.Words; i++)
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
                if (word.Count > WordVectorFiles.MaxWordBytes)
                    throw new InvalidDataException(string.Create(CultureInfo.InvariantCulture, $"'{source}': word {i} at byte offset {wordOffset} is longer than {WordVectorFiles.MaxWordBytes:N0} bytes; the file is damaged or not in the binary word2vec format."));
            }
            if (word.Count == 0) throw new InvalidDataException($"'{source}': word {i} at byte offset {wordOffset} is empty.");
            string name = WordVectorText.Decode(word.ToArray(), source, 0, wordOffset);
            var vector = rows.Add(name, source, $"at byte offset {wordOffset}");
            int read = input.ReadAtLeast(row, row.Length, throwOnEndOfStream: false);
            if (read < row.Length) throw Truncated(source, i, count, $"in its vector ({read} of {row.Length} bytes)");
            for (int k = 0; k < d; k++)
            {
                float value = BinaryPrimitives.ReadSingleLittleEndian(row.AsSpan(4 * k));
                if (!float.IsFinite(value))
                    throw new InvalidDataException(
                        $"'{source}': word {i} ('{WordVectorText.Show(name)}'), value {k + 1} at byte offset {offset + 4 * k} is {WordVectorText.NonFinite(value)}; vector values must be finite.");
                vector[k] = value;
            }
            offset += row.Length;
        }
    }

    private static InvalidDataException Truncated(string source, int index, long count, string where)
        => new($"'{source}' is truncated: it ends {where} at word {index} of the {count} its header announces.");

    /// <summary>
    /// The words and rows being read: allocated at once when the file's length vouches for the header, else grown by
    /// doubling as words are actually read (never past what the header announces).
    /// </summary>
    private sealed class RowBuffer
    {
        private string[] _names;
        private float[] _vectors;
        private readonly Dictionary<string, int> _index;
        private int _count;

        public RowBuffer(int words, int dimensions, bool exact)
        {
            Words = words;
            Dimensions = dimensions;
            int capacity = exact ? words : (int)Math.Min(words, Math.Max(1, (1 << 14) / dimensions));
            _names = new string[capacity];
            _vectors = new float[(long)capacity * dimensions];
            _index = new Dictionary<string, int>(exact ? capacity : 0, StringComparer.Ordinal);
        }

        public int Words { get; }

        public int Dimensions { get; }

        /// <summary>Adds <paramref name="word"/> (refused when repeated) and returns its row to fill.</summary>
        public Span<float> Add(string word, string source, string where)
        {
            WordVectorText.AddWord(_index, word, _count, source, where);
            if (_count == _names.Length)
            {
                int capacity = (int)Math.Min(Words, Math.Max(16L, 2L * _names.Length));
                Array.Resize(ref _names, capacity);
                Array.Resize(ref _vectors, capacity * Dimensions);
            }
            _names[_count] = word;
            return _vectors.AsSpan(_count++ * Dimensions, Dimensions);
        }

        public KeyedVectors ToVectors() => new(_names, _vectors, Dimensions, _index);
    }

    private static void CheckWords(KeyedVectors vectors)
    {
        for (int i = 0; i < vectors.Count; i++) WordVectorText.CheckWritable(vectors.Words[i], i);
        WordVectorText.CheckFinite(vectors);
    }
}
