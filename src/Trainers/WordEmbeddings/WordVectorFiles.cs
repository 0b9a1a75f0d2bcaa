using System.Globalization;
using System.Text.Unicode;

namespace MLNetExt.Trainers.WordEmbeddings;

/// <summary>
/// Reads and writes word-vector files in any <see cref="WordVectorFileFormat"/>, and tells the formats apart by
/// their content (see <see cref="DetectFormat"/>).
/// </summary>
/// <remarks>
/// Every read is bounded, so that no file, however hostile (<c>/dev/zero</c>, a header announcing 40 million words
/// in 1 KB), makes a reader allocate more than a small multiple of its size: a line of a text format is at most
/// <see cref="MaxLineBytes"/>, a word at most <see cref="MaxWordBytes"/>, a number at most
/// <see cref="MaxNumberLength"/> characters, a vector at most <see cref="Word2VecFormat.MaxVectorSize"/> values; a
/// word2vec header's counts are checked against these and against the file's length before anything is allocated.
/// NaN and infinite values are refused. Each refusal is an <see cref="InvalidDataException"/> naming the file and the
/// line, word or byte offset.
/// </remarks>
public static class WordVectorFiles
{
    /// <summary>The longest line of a text vector file read (a word and its numbers), in bytes: 16 MiB.</summary>
    public const int MaxLineBytes = 16 << 20;

    /// <summary>The longest word read, in UTF-8 bytes: 64 KiB.</summary>
    public const int MaxWordBytes = 1 << 16;

    /// <summary>The longest number of a text vector file read, in characters (the shortest round-trip form of a float32 takes at most 15).</summary>
    public const int MaxNumberLength = 64;

    /// <summary>Reads the vectors in <paramref name="path"/>.</summary>
    /// <param name="path">The file.</param>
    /// <param name="format">Its format; null detects it from the content (see <see cref="DetectFormat"/>).</param>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">The file is malformed, truncated, not UTF-8, holds a NaN or infinite value, goes past a cap, is a directory, or its format cannot be told (the message says where).</exception>
    /// <exception cref="IOException">The file cannot be read (the message names it).</exception>
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
    /// <exception cref="ArgumentException">A word is empty or holds whitespace, or a value is NaN or infinite, which these formats cannot represent.</exception>
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
    /// The format of <paramref name="path"/>, judged from its first lines (a UTF-8 byte-order mark skipped). A first
    /// line of two whole numbers ("V D") is a word2vec header; then a first record that is a word and D numbers on one
    /// line, or any other line of plain text, is word2vec text, and one holding bytes that are not text (raw floats) is
    /// word2vec binary. Without a header, a first line of plain text with a word and at least one more field is GloVe
    /// text. A GloVe file whose first line is a numeric word with a single whole-number value would be taken for
    /// word2vec: pass the format explicitly for such a file.
    /// </summary>
    /// <param name="path">The file.</param>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">The file is empty or a directory, or its first line is neither a header nor a line of a word and its numbers (binary data, not UTF-8, a single field, longer than <see cref="MaxLineBytes"/>): the format cannot be told.</exception>
    /// <exception cref="IOException">The file cannot be read (the message names it).</exception>
    public static WordVectorFileFormat DetectFormat(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        using var stream = WordVectorText.OpenRead(path, "a word-vector file", 1 << 12);
        return WordVectorText.AtTheEdge(path, () => Detect(stream, path));
    }

    private static WordVectorFileFormat Detect(Stream stream, string path)
    {
        var input = new BufferedStream(stream, 1 << 16);
        var first = ReadTextLine(input, MaxLineBytes + WordVectorText.ByteOrderMark.Length);
        int offset = first.Bytes.AsSpan().StartsWith(WordVectorText.ByteOrderMark) ? WordVectorText.ByteOrderMark.Length : 0;
        var bytes = first.Bytes.AsSpan(offset);
        if (bytes.IsEmpty && first.End)
            throw new InvalidDataException($"'{path}' is empty: it holds no word vectors.");
        if (first.NonText is int at)
            throw CannotTell(path, $"byte 0x{first.Bytes[at]:X2} at offset {at} of the first line is not text");
        if (!first.Complete)
            throw CannotTell(path, string.Create(CultureInfo.InvariantCulture, $"the first line is longer than {MaxLineBytes:N0} bytes"));
        if (!Utf8.IsValid(bytes))
            throw CannotTell(path, "the first line is not valid UTF-8");
        string line = WordVectorText.StrictUtf8.GetString(bytes);
        var fields = line.Split((char[])[' ', '\t', '\r'], StringSplitOptions.RemoveEmptyEntries);
        if (bytes.Length <= Word2VecFormat.MaxHeaderBytes && fields.Length == 2 && IsWholeNumber(fields[0]) && IsWholeNumber(fields[1]))
            return DetectWord2Vec(input, fields[1]);
        if (fields.Length == 0 || fields.Length >= 2)
            return WordVectorFileFormat.GloVeText; // a blank first line is skipped by the GloVe reader
        throw CannotTell(path, $"the first line, '{WordVectorText.Show(line)}', is a single field");
    }

    /// <summary>Text or binary, from the first record after a word2vec header whose dimension field is <paramref name="dimensionField"/>.</summary>
    private static WordVectorFileFormat DetectWord2Vec(Stream input, string dimensionField)
    {
        // Out of range: the reader refuses the header with its own message.
        if (!int.TryParse(dimensionField, NumberStyles.None, CultureInfo.InvariantCulture, out int dimensions) || dimensions is < 1 or > Word2VecFormat.MaxVectorSize)
            return WordVectorFileFormat.Word2VecText;
        // A text record is a word and D numbers; longer than that, it is not text (or too long to read anyway).
        long limit = Math.Min(MaxLineBytes, MaxWordBytes + (MaxNumberLength + 1L) * dimensions + 2);
        var record = ReadTextLine(input, (int)limit);
        if (record.Bytes.Length == 0 && record.End)
            return WordVectorFileFormat.Word2VecText; // a header and nothing else: the reader says what is missing
        if (record.NonText is not null || !Utf8.IsValid(record.Bytes))
            return WordVectorFileFormat.Word2VecBinary;
        if (IsTextRecord(record.Bytes, dimensions) || !record.Complete || record.End)
            return WordVectorFileFormat.Word2VecText;
        // Plain text that is not a word and D numbers: malformed text, or a binary record whose raw floats held a '\n'
        // before any other control byte. The binary record goes on to 4·D bytes after the word's space: look there.
        int space = Array.IndexOf(record.Bytes, (byte)' ');
        if (space < 0)
            return WordVectorFileFormat.Word2VecText;
        long rest = space + 1 + 4L * dimensions - (record.Bytes.Length + 1);
        for (long i = 0; i < rest; i++)
        {
            int next = input.ReadByte();
            if (next < 0)
                break;
            if (next != '\n' && IsNonText(next))
                return WordVectorFileFormat.Word2VecBinary;
        }
        return WordVectorFileFormat.Word2VecText;
    }

    private static InvalidDataException CannotTell(string path, string why)
        => new($"'{path}': cannot tell the word-vector format: {why}. A word2vec file starts with a header line \"<words> <dimensions>\" and a GloVe file with a line of a word and its numbers.");

    private static bool IsWholeNumber(string field)
    {
        var digits = field.AsSpan(field[0] is '-' or '+' ? 1 : 0);
        return !digits.IsEmpty && !digits.ContainsAnyExceptInRange('0', '9');
    }

    /// <summary>One line as read for detection.</summary>
    /// <param name="Bytes">The bytes before the '\n' (or the end, or the limit, or the first byte that is not text).</param>
    /// <param name="Complete">Whether the line ended ('\n' or the end of the stream) within the limit.</param>
    /// <param name="End">Whether the stream ended.</param>
    /// <param name="NonText">The index of the first byte that cannot be text (a control character other than tab and CR).</param>
    private readonly record struct ProbedLine(byte[] Bytes, bool Complete, bool End, int? NonText);

    /// <summary>Reads up to '\n', the end, <paramref name="limit"/> bytes, or the first byte that cannot be text, whichever comes first.</summary>
    private static ProbedLine ReadTextLine(Stream stream, int limit)
    {
        var bytes = new List<byte>();
        while (true)
        {
            int next = stream.ReadByte();
            if (next < 0)
                return new([.. bytes], true, true, null);
            if (next == '\n')
                return new([.. bytes], true, false, null);
            bytes.Add((byte)next);
            if (IsNonText(next))
                return new([.. bytes], false, false, bytes.Count - 1);
            if (bytes.Count > limit)
                return new([.. bytes], false, false, null);
        }
    }

    /// <summary>Whether <paramref name="b"/> cannot appear in a text vector file: a control character other than tab and CR.</summary>
    private static bool IsNonText(int b) => b < 0x20 ? b != '\t' && b != '\r' : b == 0x7F;

    private static bool IsTextRecord(byte[] line, int dimensions)
    {
        if (!Utf8.IsValid(line))
            return false;
        var fields = WordVectorText.StrictUtf8.GetString(line).Split((char[])[' ', '\r'], StringSplitOptions.RemoveEmptyEntries);
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
