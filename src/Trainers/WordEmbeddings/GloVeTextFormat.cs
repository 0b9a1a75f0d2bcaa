using System.Text;

namespace MLNetExt.Trainers.WordEmbeddings;

/// <summary>
/// The GloVe tool's text vectors (<c>vectors.txt</c>): one line per word, the word then D numbers separated by
/// single spaces, and no header line. D is taken from the first line. Numbers are written as the shortest decimal
/// that parses back to the same float32 (at most 9 significant digits), so round trips are exact. A few published
/// files hold words with spaces (e.g. glove.840B); such lines are read by taking the last D fields as the vector
/// and the rest as the word. Strict UTF-8: an invalid byte is reported with the file, line and byte offset.
/// </summary>
public static class GloVeTextFormat
{
    /// <summary>Writes <paramref name="vectors"/> to <paramref name="path"/> (replaced atomically).</summary>
    /// <exception cref="ArgumentException">A word is empty or holds whitespace.</exception>
    public static void Write(KeyedVectors vectors, string path)
    {
        ArgumentNullException.ThrowIfNull(vectors);
        for (int i = 0; i < vectors.Count; i++) WordVectorText.CheckWritable(vectors.Words[i], i);
        WordVectorText.WriteAtomically(path, stream => Write(vectors, stream));
    }

    /// <summary>Writes <paramref name="vectors"/> to <paramref name="stream"/>.</summary>
    /// <exception cref="ArgumentException">A word is empty or holds whitespace.</exception>
    public static void Write(KeyedVectors vectors, Stream stream)
    {
        ArgumentNullException.ThrowIfNull(vectors);
        ArgumentNullException.ThrowIfNull(stream);
        for (int i = 0; i < vectors.Count; i++) WordVectorText.CheckWritable(vectors.Words[i], i);
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
    /// <exception cref="InvalidDataException">The file is empty, malformed or not UTF-8 (the message says where).</exception>
    public static KeyedVectors Read(string path, int? limit = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
        return Read(stream, path, limit);
    }

    /// <summary>Reads a GloVe text file from <paramref name="stream"/>; <paramref name="sourceName"/> names it in errors.</summary>
    /// <exception cref="InvalidDataException">The data is empty, malformed or not UTF-8 (the message says where).</exception>
    public static KeyedVectors Read(Stream stream, string sourceName, int? limit = null)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(sourceName);
        if (limit is int l) ArgumentOutOfRangeException.ThrowIfNegative(l, nameof(limit));
        var reader = new Utf8LineReader(stream);
        var words = new List<string>();
        var values = new List<float>();
        var fields = new List<string>();
        int d = 0;
        while ((limit is null || words.Count < limit) && reader.TryReadLine(out var bytes))
        {
            string line = WordVectorText.Decode(bytes, sourceName, reader.LineNumber, reader.LineOffset).TrimEnd(' ', '\r', '\t');
            if (line.Length == 0) continue;
            fields.Clear();
            fields.AddRange(line.Split(' ', StringSplitOptions.RemoveEmptyEntries));
            if (d == 0)
            {
                d = fields.Count - 1;
                if (d < 1) throw new InvalidDataException($"'{sourceName}' line {reader.LineNumber}: expected a word followed by its numbers.");
            }
            if (fields.Count < d + 1)
                throw new InvalidDataException($"'{sourceName}' line {reader.LineNumber}: {fields.Count - 1} numbers where the first line has {d}.");
            int wordFields = fields.Count - d;
            words.Add(string.Join(' ', fields.Take(wordFields)));
            for (int k = wordFields; k < fields.Count; k++) values.Add(WordVectorText.ParseFloat(fields[k], sourceName, reader.LineNumber));
        }
        if (words.Count == 0 && limit != 0) throw new InvalidDataException($"'{sourceName}' holds no vectors.");
        try
        {
            return new KeyedVectors(words, values.ToArray(), Math.Max(d, 1));
        }
        catch (ArgumentException e)
        {
            throw new InvalidDataException($"'{sourceName}': {e.Message}", e);
        }
    }
}
