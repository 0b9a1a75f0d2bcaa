using System.Globalization;
using System.Text;
using MLNetExt.Core.Serialization;

namespace MLNetExt.Trainers.WordEmbeddings;

/// <summary>
/// What the word-vector file formats share: strict UTF-8, number parsing and printing, the caps on what is read
/// (see <see cref="WordVectorFiles"/>), opening a file with errors that name it, and atomic writes.
/// </summary>
internal static class WordVectorText
{
    /// <summary>UTF-8 that throws on invalid bytes instead of substituting U+FFFD.</summary>
    public static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>The UTF-8 byte-order mark, skipped at the start of text files.</summary>
    public static ReadOnlySpan<byte> ByteOrderMark => [0xEF, 0xBB, 0xBF];

    /// <summary>
    /// Opens <paramref name="path"/> for reading. A directory is refused as malformed input and a permission problem
    /// becomes an <see cref="IOException"/>, both naming the path.
    /// </summary>
    /// <exception cref="InvalidDataException">The path is a directory.</exception>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="IOException">The file cannot be opened.</exception>
    public static FileStream OpenRead(string path, string what, int bufferSize = 1 << 16)
    {
        if (Directory.Exists(path))
            throw new InvalidDataException($"'{path}' is a directory, not {what}.");
        try
        {
            return new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize);
        }
        catch (UnauthorizedAccessException e)
        {
            throw new IOException($"'{path}' cannot be read: {e.Message}", e);
        }
    }

    /// <summary>
    /// The bytes left in <paramref name="stream"/> when it knows its length, else -1. A seekable stream that claims to
    /// be empty (a device such as <c>/dev/zero</c>, a <c>/proc</c> file) is taken as of unknown length.
    /// </summary>
    public static long RemainingLength(Stream stream)
    {
        try
        {
            long remaining = stream.CanSeek ? stream.Length - stream.Position : -1;
            return remaining > 0 ? remaining : -1;
        }
        catch (Exception e) when (e is NotSupportedException or IOException)
        {
            return -1;
        }
    }

    /// <summary>
    /// Runs <paramref name="read"/>, rephrasing what the framework throws from deep inside a reader (decoder, number
    /// and I/O errors, the vectors' own checks) into an error that names <paramref name="source"/>.
    /// </summary>
    public static T AtTheEdge<T>(string source, Func<T> read)
    {
        try
        {
            return read();
        }
        catch (Exception e) when (e is DecoderFallbackException or FormatException or OverflowException or IndexOutOfRangeException
            || e.GetType() == typeof(ArgumentException) || e is ArgumentOutOfRangeException)
        {
            throw new InvalidDataException($"'{source}': {e.Message}", e);
        }
        catch (IOException e) when (e is not FileNotFoundException and not DirectoryNotFoundException && !e.Message.Contains(source, StringComparison.Ordinal))
        {
            throw new IOException($"'{source}' could not be read: {e.Message}", e);
        }
    }

    /// <summary><paramref name="text"/> fit for an error message: at most 40 characters, control characters escaped.</summary>
    public static string Show(string text)
    {
        var shown = new StringBuilder();
        foreach (char c in text.Length > 40 ? text[..40] : text)
        {
            if (char.IsControl(c)) shown.Append(CultureInfo.InvariantCulture, $"\\u{(int)c:X4}");
            else shown.Append(c);
        }
        if (text.Length > 40) shown.Append(CultureInfo.InvariantCulture, $"… ({text.Length:N0} characters)");
        return shown.ToString();
    }

    /// <summary>Decodes <paramref name="bytes"/>, or throws naming the file, line and byte offset of the first invalid byte.</summary>
    public static string Decode(ReadOnlySpan<byte> bytes, string source, long lineNumber, long byteOffset)
    {
        try
        {
            return StrictUtf8.GetString(bytes);
        }
        catch (DecoderFallbackException e)
        {
            long at = byteOffset + Math.Max(0, e.Index);
            string line = lineNumber > 0 ? $"line {lineNumber}, " : "";
            throw new InvalidDataException($"'{source}' is not valid UTF-8: invalid byte 0x{bytes[Math.Clamp(e.Index, 0, bytes.Length - 1)]:X2} at {line}byte offset {at}.", e);
        }
    }

    /// <summary>
    /// The shortest decimal text that parses back to exactly <paramref name="value"/> (at most 9 significant digits,
    /// e.g. "0.123456789", "1E-05"), so text files round-trip bit for bit.
    /// </summary>
    public static string Format(float value) => value.ToString("R", CultureInfo.InvariantCulture);

    /// <summary>
    /// Parses value <paramref name="index"/> (0-based) of a text vector file's line, or throws naming the file and line:
    /// a token longer than <see cref="WordVectorFiles.MaxNumberLength"/>, not a number, or not finite (NaN, an infinity,
    /// or beyond the float32 range) is refused.
    /// </summary>
    public static float ParseFloat(ReadOnlySpan<char> text, string source, long lineNumber, int index)
    {
        if (text.Length > WordVectorFiles.MaxNumberLength)
            throw new InvalidDataException(string.Create(CultureInfo.InvariantCulture, $"'{source}' line {lineNumber}: value {index + 1} is {text.Length:N0} characters long, more than the {WordVectorFiles.MaxNumberLength} a number may take."));
        if (!float.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out float value))
            throw new InvalidDataException($"'{source}' line {lineNumber}: '{Show(text.ToString())}' is not a number (value {index + 1}).");
        if (!float.IsFinite(value))
            throw new InvalidDataException($"'{source}' line {lineNumber}: value {index + 1} '{Show(text.ToString())}' is {NonFinite(value)}; vector values must be finite.");
        return value;
    }

    /// <summary>How to name a non-finite float in an error.</summary>
    public static string NonFinite(float value) => float.IsNaN(value) ? "NaN" : "infinite (or beyond the float32 range)";

    /// <summary>Throws when <paramref name="word"/> is longer than <see cref="WordVectorFiles.MaxWordBytes"/> in UTF-8.</summary>
    public static void CheckWordLength(string word, string source, string where)
    {
        if (word.Length > WordVectorFiles.MaxWordBytes / 3 && StrictUtf8.GetByteCount(word) > WordVectorFiles.MaxWordBytes)
            throw new InvalidDataException(string.Create(CultureInfo.InvariantCulture, $"'{source}' {where}: the word '{Show(word)}' is longer than {WordVectorFiles.MaxWordBytes:N0} bytes."));
    }

    /// <summary>Adds <paramref name="word"/> at <paramref name="row"/> to <paramref name="index"/>, or throws naming both places.</summary>
    public static void AddWord(Dictionary<string, int> index, string word, int row, string source, string where)
    {
        if (!index.TryAdd(word, row))
            throw new InvalidDataException($"'{source}' {where}: the word '{Show(word)}' appears twice (words {index[word]} and {row}).");
    }

    /// <summary>Throws when a vector of <paramref name="vectors"/> holds NaN or an infinity, which no reader accepts back.</summary>
    public static void CheckFinite(KeyedVectors vectors)
    {
        var values = vectors.Vectors;
        for (int i = 0; i < values.Length; i++)
        {
            if (!float.IsFinite(values[i]))
                throw new ArgumentException(
                    $"Word {i / vectors.VectorSize} ('{Show(vectors.Words[i / vectors.VectorSize])}') has a value that is {NonFinite(values[i])} (value {i % vectors.VectorSize + 1}); the word-vector formats hold finite numbers only.", nameof(vectors));
        }
    }

    /// <summary>Throws when <paramref name="word"/> cannot be written to a whitespace-separated format.</summary>
    public static void CheckWritable(string word, int index)
    {
        if (word.Length == 0 || word.AsSpan().IndexOfAny(" \t\n\r\v\f") >= 0)
            throw new ArgumentException($"Word {index} ('{word}') is empty or holds whitespace, which the word-vector formats cannot represent.", "vectors");
    }

    /// <summary>
    /// Writes through a temporary file in the same folder, flushed to disk and renamed over <paramref name="path"/>
    /// (<see cref="AtomicFile"/>), so a failed save leaves the previous file as it was and no temporary file behind.
    /// </summary>
    public static void WriteAtomically(string path, Action<Stream> write) => AtomicFile.Write(path, write);
}
