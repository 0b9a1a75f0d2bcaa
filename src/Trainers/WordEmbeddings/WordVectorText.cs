using System.Globalization;
using System.Text;

namespace MLNetExt.Trainers.WordEmbeddings;

/// <summary>What the word-vector file formats share: strict UTF-8, number parsing and printing, atomic writes.</summary>
internal static class WordVectorText
{
    /// <summary>UTF-8 that throws on invalid bytes instead of substituting U+FFFD.</summary>
    public static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

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

    /// <summary>Parses one float of a text vector file, or throws naming the place.</summary>
    public static float ParseFloat(ReadOnlySpan<char> text, string source, long lineNumber)
    {
        if (float.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out float value)) return value;
        throw new InvalidDataException($"'{source}' line {lineNumber}: '{text}' is not a number.");
    }

    /// <summary>Throws when <paramref name="word"/> cannot be written to a whitespace-separated format.</summary>
    public static void CheckWritable(string word, int index)
    {
        if (word.Length == 0 || word.AsSpan().IndexOfAny(" \t\n\r\v\f") >= 0)
            throw new ArgumentException($"Word {index} ('{word}') is empty or holds whitespace, which the word-vector formats cannot represent.", "vectors");
    }

    /// <summary>Writes through a temporary file renamed over <paramref name="path"/>, so a failed save leaves no partial file.</summary>
    public static void WriteAtomically(string path, Action<Stream> write)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        string full = Path.GetFullPath(path);
        string temporary = Path.Combine(Path.GetDirectoryName(full)!, $".{Path.GetFileName(full)}.{Guid.NewGuid():N}.tmp");
        try
        {
            using (var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16))
            {
                write(stream);
                stream.Flush(flushToDisk: true);
            }
            File.Move(temporary, full, overwrite: true);
        }
        catch
        {
            File.Delete(temporary);
            throw;
        }
    }
}
