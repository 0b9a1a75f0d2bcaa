using System.Globalization;
using System.Text;

namespace MLNetExt.Trainers.WordEmbeddings;

/// <summary>
/// The GloVe tool's text vectors (<c>vectors.txt</c>): one line per word, the word then D numbers separated by
/// single spaces, and no header line. D is taken from the first line. Numbers are written as the shortest decimal
/// that parses back to the same float32 (at most 9 significant digits), so round trips are exact. A few published
/// files hold words with spaces (e.g. glove.840B); such lines are read by taking the last D fields as the vector
/// and the rest as the word. Strict UTF-8: an invalid byte is reported with the file, line and byte offset; a leading
/// byte-order mark is skipped. NaN, infinite values and repeated words are refused with the line; lines, words and
/// numbers are capped (see <see cref="WordVectorFiles"/>).
/// </summary>
public static class GloVeTextFormat
{
    /// <summary>Writes <paramref name="vectors"/> to <paramref name="path"/> (replaced atomically: a failed write leaves the previous file and no temporary file).</summary>
    /// <exception cref="ArgumentException">A word is empty or holds whitespace, or a value is NaN or infinite.</exception>
    public static void Write(KeyedVectors vectors, string path)
    {
        ArgumentNullException.ThrowIfNull(vectors);
        for (int i = 0; i < vectors.Count; i++) WordVectorText.CheckWritable(vectors.Words[i], i);
        WordVectorText.CheckFinite(vectors);
        WordVectorText.WriteAtomically(path, stream => Write(vectors, stream));
    }

    /// <summary>Writes <paramref name="vectors"/> to <paramref name="stream"/>.</summary>
    /// <exception cref="ArgumentException">A word is empty or holds whitespace, or a value is NaN or infinite.</exception>
    public static void Write(KeyedVectors vectors, Stream stream)
    {
        ArgumentNullException.ThrowIfNull(vectors);
        ArgumentNullException.ThrowIfNull(stream);
        for (int i = 0; i < vectors.Count; i++) WordVectorText.CheckWritable(vectors.Words[i], i);
        WordVectorText.CheckFinite(vectors);
        var output = new BufferedStream(stream, 1 << 16);
        var line = new StringBuilder();
        for (int i = 0; i < vectors.Count; i++)
        {
            line.Clear().Append(vectors.Words[i]);
            foreach (float value in vectors.GetVector(i)) line.Append(' ').Append(WordVectorText.Format(value));
            line.Append('\n');
            output.Write(WordVectorText.StrictUtf8.GetBytes(line.ToString()));
        }
        output.Flush();
    }

    /// <summary>Reads a GloVe text file.</summary>
    /// <param name="path">The file.</param>
    /// <param name="limit">Read only the first this many words; null for all.</param>
    /// <exception cref="InvalidDataException">The file is empty, malformed, not UTF-8, holds a NaN or infinite value, goes past a cap, or is a directory (the message says where).</exception>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="IOException">The file cannot be read (the message names it).</exception>
    public static KeyedVectors Read(string path, int? limit = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        if (limit is int l) ArgumentOutOfRangeException.ThrowIfNegative(l, nameof(limit));
        using var stream = WordVectorText.OpenRead(path, "a GloVe text file");
        return Read(stream, path, limit);
    }

    /// <summary>Reads a GloVe text file from <paramref name="stream"/>; <paramref name="sourceName"/> names it in errors.</summary>
    /// <exception cref="InvalidDataException">The data is empty, malformed, not UTF-8, holds a NaN or infinite value or goes past a cap (the message says where).</exception>
    /// <exception cref="IOException">The stream cannot be read (the message names it).</exception>
    public static KeyedVectors Read(Stream stream, string sourceName, int? limit = null)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(sourceName);
        if (limit is int l) ArgumentOutOfRangeException.ThrowIfNegative(l, nameof(limit));
        return WordVectorText.AtTheEdge(sourceName, () => ReadChecked(stream, sourceName, limit));
    }

    private static KeyedVectors ReadChecked(Stream stream, string sourceName, int? limit)
    {
        var reader = new Utf8LineReader(stream, sourceName, WordVectorFiles.MaxLineBytes, "line of a text vector file");
        var words = new List<string>();
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        var values = new List<float>();
        var fields = new List<string>();
        int d = 0;
        while ((limit is null || words.Count < limit) && reader.TryReadLine(out var bytes))
        {
            long lineNumber = reader.LineNumber;
            string line = WordVectorText.Decode(bytes, sourceName, lineNumber, reader.LineOffset).TrimEnd(' ', '\r', '\t');
            if (line.Length == 0) continue;
            fields.Clear();
            fields.AddRange(line.Split(' ', StringSplitOptions.RemoveEmptyEntries));
            if (d == 0)
            {
                d = fields.Count - 1;
                if (d < 1) throw new InvalidDataException($"'{sourceName}' line {lineNumber}: expected a word followed by its numbers.");
                if (d > Word2VecFormat.MaxVectorSize)
                    throw new InvalidDataException(string.Create(CultureInfo.InvariantCulture, $"'{sourceName}' line {lineNumber}: {d:N0} numbers, more than the {Word2VecFormat.MaxVectorSize:N0} dimensions a vector may have."));
            }
            if (fields.Count < d + 1)
                throw new InvalidDataException($"'{sourceName}' line {lineNumber}: {fields.Count - 1} numbers where the first line has {d}.");
            if ((long)values.Count + d > Array.MaxLength)
                throw new InvalidDataException(string.Create(CultureInfo.InvariantCulture, $"'{sourceName}' line {lineNumber}: more than {Array.MaxLength:N0} values in all, more than one array holds."));
            int wordFields = fields.Count - d;
            string word = wordFields == 1 ? fields[0] : string.Join(' ', fields.Take(wordFields));
            WordVectorText.CheckWordLength(word, sourceName, $"line {lineNumber}");
            WordVectorText.AddWord(index, word, words.Count, sourceName, $"line {lineNumber}");
            words.Add(word);
            for (int k = wordFields; k < fields.Count; k++) values.Add(WordVectorText.ParseFloat(fields[k], sourceName, lineNumber, k - wordFields));
        }
        if (words.Count == 0 && limit != 0) throw new InvalidDataException($"'{sourceName}' holds no vectors.");
        return new KeyedVectors([.. words], values.ToArray(), Math.Max(d, 1), index);
    }
}
