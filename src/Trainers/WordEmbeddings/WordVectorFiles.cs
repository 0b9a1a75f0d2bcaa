using System.Globalization;
using System.Text;

namespace MLNetExt.Trainers.WordEmbeddings;

/// <summary>
/// Reads and writes word-vector files in any <see cref="WordVectorFileFormat"/>, and tells the formats apart by
/// their content: a first line of two whole numbers ("V D") is a word2vec header, otherwise the file is GloVe text;
/// after a word2vec header, a first record that reads as a word and exactly D numbers on one line is text, anything
/// else is binary.
/// </summary>
public static class WordVectorFiles
{
    private const int MaxHeaderBytes = 256;

    /// <summary>Reads the vectors in <paramref name="path"/>.</summary>
    /// <param name="path">The file.</param>
    /// <param name="format">Its format; null detects it from the content (see <see cref="DetectFormat"/>).</param>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">The file is malformed, truncated or not UTF-8 (the message says where).</exception>
    public static KeyedVectors Read(string path, WordVectorFileFormat? format = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var actual = format ?? DetectFormat(path);
        return actual switch
        {
            WordVectorFileFormat.Word2VecBinary => Word2VecFormat.Read(path, binary: true),
            WordVectorFileFormat.Word2VecText => Word2VecFormat.Read(path, binary: false),
            WordVectorFileFormat.GloVeText => GloVeTextFormat.Read(path),
            _ => throw new ArgumentOutOfRangeException(nameof(format), format, "Unknown word-vector file format."),
        };
    }

    /// <summary>Writes <paramref name="vectors"/> to <paramref name="path"/> in <paramref name="format"/>, replacing the file atomically.</summary>
    /// <param name="vectors">The vectors.</param>
    /// <param name="path">The file.</param>
    /// <param name="format">The format.</param>
    /// <exception cref="ArgumentException">A word is empty or holds whitespace, which these formats cannot represent.</exception>
    public static void Write(KeyedVectors vectors, string path, WordVectorFileFormat format)
    {
        ArgumentNullException.ThrowIfNull(vectors);
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        switch (format)
        {
            case WordVectorFileFormat.Word2VecBinary:
                Word2VecFormat.Write(vectors, path, binary: true);
                break;
            case WordVectorFileFormat.Word2VecText:
                Word2VecFormat.Write(vectors, path, binary: false);
                break;
            case WordVectorFileFormat.GloVeText:
                GloVeTextFormat.Write(vectors, path);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(format), format, "Unknown word-vector file format.");
        }
    }

    /// <summary>
    /// The format of <paramref name="path"/>, judged from its first bytes: no "V D" header means GloVe text; after a
    /// header, a first record of a word and exactly D numbers on one line means word2vec text, else word2vec binary.
    /// A GloVe file whose first line is a numeric word with a single whole-number value would be taken for word2vec:
    /// pass the format explicitly for such a file.
    /// </summary>
    /// <param name="path">The file.</param>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    public static WordVectorFileFormat DetectFormat(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 12);
        var header = ReadLine(stream, MaxHeaderBytes);
        if (header is null || !TryParseHeader(header, out int dimensions))
            return WordVectorFileFormat.GloVeText;
        // A text record is the word plus D numbers of at most ~16 characters each; binary records are 4·D bytes plus the word.
        var record = ReadLine(stream, 64 + 32 * dimensions + 1024);
        return record is not null && IsTextRecord(record, dimensions) ? WordVectorFileFormat.Word2VecText : WordVectorFileFormat.Word2VecBinary;
    }

    /// <summary>The bytes before the next '\n' (or the end), or null when there is no '\n' within <paramref name="limit"/> bytes and the stream goes on.</summary>
    private static byte[]? ReadLine(Stream stream, int limit)
    {
        var bytes = new List<byte>();
        while (bytes.Count <= limit)
        {
            int next = stream.ReadByte();
            if (next < 0)
                return bytes.Count > 0 ? [.. bytes] : null;
            if (next == '\n')
                return [.. bytes];
            bytes.Add((byte)next);
        }
        return null;
    }

    private static bool TryParseHeader(byte[] line, out int dimensions)
    {
        dimensions = 0;
        var fields = Encoding.ASCII.GetString(line).Split((char[])[' ', '\t', '\r'], StringSplitOptions.RemoveEmptyEntries);
        return fields.Length == 2
            && long.TryParse(fields[0], NumberStyles.None, CultureInfo.InvariantCulture, out _)
            && int.TryParse(fields[1], NumberStyles.None, CultureInfo.InvariantCulture, out dimensions)
            && dimensions is >= 1 and <= Word2VecFormat.MaxVectorSize;
    }

    private static bool IsTextRecord(byte[] line, int dimensions)
    {
        string text;
        try
        {
            text = WordVectorText.StrictUtf8.GetString(line);
        }
        catch (DecoderFallbackException)
        {
            return false;
        }
        var fields = text.Split((char[])[' ', '\r'], StringSplitOptions.RemoveEmptyEntries);
        if (fields.Length != dimensions + 1)
            return false;
        for (int i = 1; i < fields.Length; i++)
        {
            if (!float.TryParse(fields[i], NumberStyles.Float, CultureInfo.InvariantCulture, out _))
                return false;
        }
        return true;
    }
}
