using System.Buffers.Binary;
using System.Text;
using MLNetExt.Trainers.WordEmbeddings;

namespace MLNetExt.Fuzz.Tests;

/// <summary>
/// Hostile word-vector files (word2vec binary and text, GloVe text): every mutation of a small valid file, through the
/// format's own reader and through detection, is read or refused cleanly naming the file; plus the cases of issue 15
/// (/dev/zero, a long first word, a byte-order mark, NaN and infinite values, huge header counts, non-UTF-8 words,
/// an empty file, a directory).
/// </summary>
public class WordVectorFuzzTests
{
    private static KeyedVectors Valid() => new(["the", "café", "日本", "x"],
        [0.5f, -1f, 0.25f, 2f, 3f, -0.125f, 1e-7f, 123.5f, -0f, 7f, 0.1f, float.MaxValue], 3);

    private static byte[] Bytes(WordVectorFileFormat format)
    {
        var stream = new MemoryStream();
        if (format == WordVectorFileFormat.GloVeText) GloVeTextFormat.Write(Valid(), stream);
        else Word2VecFormat.Write(Valid(), stream, format == WordVectorFileFormat.Word2VecBinary);
        return stream.ToArray();
    }

    private static string Name(WordVectorFileFormat format) => format switch
    {
        WordVectorFileFormat.Word2VecBinary => "word2vec-binary.bin",
        WordVectorFileFormat.Word2VecText => "word2vec-text.txt",
        _ => "glove-text.txt",
    };

    private static bool IsClean(Exception error) => error is InvalidDataException or IOException;

    private static Action<string> ReadAs(WordVectorFileFormat? format) => path => WordVectorFiles.Read(path, format);

    [Theory]
    [InlineData(WordVectorFileFormat.Word2VecBinary, 1501)]
    [InlineData(WordVectorFileFormat.Word2VecText, 1502)]
    [InlineData(WordVectorFileFormat.GloVeText, 1503)]
    public void Mutated_files_are_read_or_refused_cleanly(WordVectorFileFormat format, int seed)
    {
        var valid = Bytes(format);
        var results = new List<FuzzResult>();
        foreach (var (name, bytes) in FuzzHarness.Mutations(valid, seed))
        {
            results.Add(FuzzHarness.Run(Name(format), name, bytes, ReadAs(format), IsClean));
            results.Add(FuzzHarness.Run(Name(format), name + " (format detected)", bytes, ReadAs(null), IsClean));
        }

        FuzzHarness.Assert(results);
        results.Should().Contain(r => r.Outcome == FuzzOutcome.CleanError, "truncated files must be refused");
        results.Should().Contain(r => r.Outcome == FuzzOutcome.Accepted, "some mutations (a changed digit) leave a valid file");
    }

    [Theory]
    [InlineData(WordVectorFileFormat.Word2VecBinary)]
    [InlineData(WordVectorFileFormat.Word2VecText)]
    [InlineData(WordVectorFileFormat.GloVeText)]
    [InlineData(null)]
    public void Dev_zero_is_refused_at_a_cap(WordVectorFileFormat? format)
    {
        if (!File.Exists("/dev/zero"))
            return;

        // /dev/zero has no length: the input's size for the allocation limit is the line cap, the most a reader may take in.
        var result = FuzzHarness.RunOnPath("word-vectors /dev/zero", $"/dev/zero as {format?.ToString() ?? "detected"}", "/dev/zero",
            WordVectorFiles.MaxLineBytes, ReadAs(format), IsClean);

        FuzzHarness.Assert([result]);
        result.Outcome.Should().Be(FuzzOutcome.CleanError, result.Detail);
    }

    [Fact]
    public void Targeted_cases_are_read_or_refused_as_they_should_be()
    {
        string folder = Directory.CreateTempSubdirectory("mlnetext-fuzz-vectors-").FullName;
        try
        {
            string longWord = new('w', 2048);
            var nanBinary = Bytes(WordVectorFileFormat.Word2VecBinary);
            // "4 3\n" then "the " then the first value.
            BinaryPrimitives.WriteSingleLittleEndian(nanBinary.AsSpan(8), float.NaN);
            var infBinary = Bytes(WordVectorFileFormat.Word2VecBinary);
            BinaryPrimitives.WriteSingleLittleEndian(infBinary.AsSpan(12), float.NegativeInfinity);
            byte[] bom = [0xEF, 0xBB, 0xBF];

            var accepted = new (string Case, byte[] Bytes, string[] Words)[]
            {
                ("word2vec text, 2 KB first word", Utf8($"2 2\n{longWord} 1 2\nb 3 4\n"), [longWord, "b"]),
                ("word2vec text, byte-order mark", [.. bom, .. Bytes(WordVectorFileFormat.Word2VecText)], [.. Valid().Words]),
                ("GloVe text, byte-order mark", [.. bom, .. Bytes(WordVectorFileFormat.GloVeText)], [.. Valid().Words]),
                ("word2vec binary, byte-order mark", [.. bom, .. Bytes(WordVectorFileFormat.Word2VecBinary)], [.. Valid().Words]),
                ("GloVe text, 2 KB first word", Utf8($"{longWord} 1 2\nb 3 4\n"), [longWord, "b"]),
            };
            var refused = new (string Case, byte[] Bytes)[]
            {
                ("word2vec text, NaN", Utf8("2 2\na 1 2\nb NaN 4\n")),
                ("word2vec text, Infinity", Utf8("2 2\na 1 2\nb 3 Infinity\n")),
                ("word2vec text, beyond float32", Utf8("2 2\na 1 2\nb 3 1e39\n")),
                ("GloVe text, NaN", Utf8("a 1 2\nb nan 4\n")),
                ("GloVe text, -Infinity", Utf8("a 1 2\nb -Infinity 4\n")),
                ("word2vec binary, NaN", nanBinary),
                ("word2vec binary, -Infinity", infBinary),
                ("word2vec text, 40,000,000 × 300 header in 1 KB", [.. "40000000 300\n"u8, .. Enumerable.Repeat((byte)'1', 1000)]),
                ("word2vec binary, 40,000,000 × 300 header in 1 KB", [.. "40000000 300\n"u8, .. new byte[1000]]),
                ("word2vec, 2^31 words header", Utf8("2147483648 3\na 1 2 3\n")),
                ("word2vec, 2^21 dimensions header", Utf8("1 2097152\na 1\n")),
                ("word2vec, dimensions past int", Utf8("1 99999999999\na 1\n")),
                ("word2vec text, non-UTF-8 word", [.. "1 2\ncaf"u8, 0xE9, .. " 1 2\n"u8]),
                ("word2vec binary, non-UTF-8 word", [.. "1 1\n"u8, 0xC3, 0x28, (byte)' ', 0, 0, 0, 0]),
                ("GloVe text, non-UTF-8 word on line 2", [.. "a 1 2\nb"u8, 0xFF, .. " 3 4\n"u8]),
                ("GloVe text, non-UTF-8 first word", [.. "caf"u8, 0xE9, .. " 1 2\n"u8]),
                ("empty file", []),
                ("byte-order mark only", bom),
                ("binary junk without a header", [0x01, 0x02, 0x03, 0x00, 0xFF]),
                ("a single field", Utf8("lonely\n")),
                ("word2vec text, repeated word", Utf8("2 1\na 1\na 2\n")),
                ("word2vec text, word of 65 KiB", Utf8($"1 1\n{new string('w', 65 * 1024)} 1\n")),
                ("GloVe text, number of 100 digits", Utf8($"a 0.{new string('1', 100)}\n")),
            };

            var results = new List<FuzzResult>();
            foreach (var (name, bytes, words) in accepted)
            {
                results.Add(FuzzHarness.Run("word-vectors targeted.txt", name, bytes, path =>
                {
                    var read = WordVectorFiles.Read(path);
                    if (!read.Words.SequenceEqual(words)) throw new InvalidOperationException($"read the words {string.Join(", ", read.Words)}");
                }, IsClean));
            }
            foreach (var (name, bytes) in refused)
                results.Add(FuzzHarness.Run("word-vectors targeted.txt", name, bytes, ReadAs(null), IsClean));
            // Through each format's reader too, named explicitly (no detection).
            foreach (var format in Enum.GetValues<WordVectorFileFormat>())
            {
                foreach (var (name, bytes) in refused.Where(r => r.Case.StartsWith(format == WordVectorFileFormat.GloVeText ? "GloVe" : format == WordVectorFileFormat.Word2VecBinary ? "word2vec binary" : "word2vec text", StringComparison.Ordinal)))
                    results.Add(FuzzHarness.Run("word-vectors targeted.txt", $"{name} (as {format})", bytes, ReadAs(format), IsClean));
                results.Add(FuzzHarness.Run("word-vectors targeted.txt", $"empty file (as {format})", [], ReadAs(format), IsClean));
                results.Add(FuzzHarness.RunOnPath("word-vectors targeted.txt", $"a directory (as {format})", folder, 0, ReadAs(format), IsClean));
            }
            results.Add(FuzzHarness.RunOnPath("word-vectors targeted.txt", "a directory", folder, 0, ReadAs(null), IsClean));

            FuzzHarness.Assert(results);
            results.Where(r => accepted.Any(a => a.Case == r.Case)).Should().OnlyContain(r => r.Outcome == FuzzOutcome.Accepted);
            results.Where(r => !accepted.Any(a => a.Case == r.Case)).Should().OnlyContain(r => r.Outcome == FuzzOutcome.CleanError);
            results.Where(r => r.Case.Contains("NaN") || r.Case.Contains("Infinity") || r.Case.Contains("float32"))
                .Should().OnlyContain(r => r.Detail.Contains("must be finite"));
            results.Where(r => r.Case.Contains("40,000,000")).Should().OnlyContain(r => r.AllocatedBytes < (1 << 20), "the header is checked before allocating");
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private static byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text);
}
