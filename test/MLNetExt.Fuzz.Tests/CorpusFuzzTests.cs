using System.Text;
using MLNetExt.Cli;
using MLNetExt.Cli.Commands;

namespace MLNetExt.Fuzz.Tests;

/// <summary>
/// Hostile text corpora through the CLI's corpus reader (what <c>mlnetext word2vec</c> and <c>glove</c> train on):
/// /dev/zero, a single 10 MB line, non-UTF-8 bytes, an empty file, a directory, and seeded mutations of a small corpus.
/// </summary>
public class CorpusFuzzTests
{
    private static bool IsClean(Exception error) => error is InvalidDataException or IOException or CliException;

    /// <summary>Reads the whole corpus as the trainers do, keeping only counts.</summary>
    private static (long Sentences, long Tokens, int Longest) Count(string path)
    {
        long sentences = 0, tokens = 0;
        int longest = 0;
        foreach (var sentence in CorpusFile.Open(new FileInfo(path), "--input", CancellationToken.None))
        {
            sentences++;
            tokens += sentence.Count;
            longest = Math.Max(longest, sentence.Count);
        }
        return (sentences, tokens, longest);
    }

    private static void Read(string path) => Count(path);

    [Fact]
    public void Mutated_corpora_are_read_or_refused_cleanly()
    {
        var valid = Encoding.UTF8.GetBytes("the quick brown fox\njumps over the lazy dog\r\ncafé au lait 日本語\n\n  tabs\tand\u00A0no-break spaces\n");
        var results = FuzzHarness.Mutations(valid, seed: 1504)
            .Select(m => FuzzHarness.Run("corpus.txt", m.Name, m.Bytes, Read, IsClean))
            .ToList();

        FuzzHarness.Assert(results);
        results.Should().Contain(r => r.Outcome == FuzzOutcome.CleanError, "bytes set to 0xFF are not UTF-8");
        results.Should().Contain(r => r.Outcome == FuzzOutcome.Accepted);
    }

    [Fact]
    public void Dev_zero_is_refused_at_the_token_cap()
    {
        if (!File.Exists("/dev/zero"))
            return;

        var result = FuzzHarness.RunOnPath("corpus /dev/zero", "/dev/zero", "/dev/zero", CorpusFile.MaxTokenBytes, Read, IsClean);

        FuzzHarness.Assert([result]);
        result.Outcome.Should().Be(FuzzOutcome.CleanError, result.Detail);
        result.Detail.Should().Contain("line 1: the token at byte offset 0 is longer than 65,536 bytes");
    }

    [Fact]
    public void A_single_10MB_line_of_words_is_read_in_sentences_of_10000_tokens()
    {
        // 10 MB of five-byte tokens on one line, no newline at the end (text8 is such a file, 100 MB).
        var bytes = Encoding.ASCII.GetBytes(string.Concat(Enumerable.Repeat("abcd ", 2 * 1024 * 1024)));
        (long Sentences, long Tokens, int Longest) counts = default;

        var result = FuzzHarness.Run("corpus long-line.txt", "a single 10 MB line of words", bytes, path => counts = Count(path), IsClean);

        FuzzHarness.Assert([result]);
        result.Outcome.Should().Be(FuzzOutcome.Accepted, result.Detail);
        counts.Tokens.Should().Be(2 * 1024 * 1024);
        counts.Longest.Should().Be(CorpusFile.MaxSentenceTokens);
        counts.Sentences.Should().Be((2 * 1024 * 1024 + CorpusFile.MaxSentenceTokens - 1) / CorpusFile.MaxSentenceTokens);
    }

    [Fact]
    public void Targeted_corpora_are_read_or_refused_as_they_should_be()
    {
        string folder = Directory.CreateTempSubdirectory("mlnetext-fuzz-corpus-").FullName;
        try
        {
            var noWhitespace = new byte[10 << 20];
            Array.Fill(noWhitespace, (byte)'a');
            var results = new List<FuzzResult>
            {
                FuzzHarness.Run("corpus targeted.txt", "a single 10 MB line without whitespace", noWhitespace, Read, IsClean),
                FuzzHarness.Run("corpus targeted.txt", "Latin-1 on line 2", [.. "fine\ncaf"u8, 0xE9, .. " au lait\n"u8], Read, IsClean),
                FuzzHarness.Run("corpus targeted.txt", "a lone continuation byte", [.. "a "u8, 0x80, .. " b\n"u8], Read, IsClean),
                FuzzHarness.Run("corpus targeted.txt", "a truncated 3-byte sequence at the end", [.. "a "u8, 0xE6, 0x97], Read, IsClean),
                FuzzHarness.Run("corpus targeted.txt", "UTF-16 with its byte-order mark", [0xFF, 0xFE, .. Encoding.Unicode.GetBytes("a b\n")], Read, IsClean),
                FuzzHarness.Run("corpus targeted.txt", "an empty file", [], Read, IsClean),
                FuzzHarness.Run("corpus targeted.txt", "NUL bytes between words", [.. "a\0b c\n"u8], Read, IsClean),
                FuzzHarness.RunOnPath("corpus targeted.txt", "a directory", folder, 0, Read, IsClean),
            };

            FuzzHarness.Assert(results);
            results.Where(r => r.Case is "an empty file" or "NUL bytes between words").Should().OnlyContain(r => r.Outcome == FuzzOutcome.Accepted);
            results.Where(r => r.Case is not ("an empty file" or "NUL bytes between words")).Should().OnlyContain(r => r.Outcome == FuzzOutcome.CleanError);
            results.Single(r => r.Case == "Latin-1 on line 2").Detail.Should().Contain("invalid byte 0xE9 at line 2, byte offset 8");
            results.Single(r => r.Case.StartsWith("a single 10 MB", StringComparison.Ordinal)).Detail.Should().Contain("line 1: the token at byte offset 0 is longer than 65,536 bytes");
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public void Tokens_lines_and_a_byte_order_mark_are_read_as_before()
    {
        string folder = Directory.CreateTempSubdirectory("mlnetext-fuzz-corpus-").FullName;
        try
        {
            string path = Path.Combine(folder, "corpus.txt");
            // A byte-order mark, CRLF, a lone CR, tabs, a no-break space and an ideographic space between tokens, blank lines.
            File.WriteAllBytes(path, [0xEF, 0xBB, 0xBF, .. Encoding.UTF8.GetBytes("one two\r\nthree\rfour\tfive\u00A0six\n\n   \nseven\u3000eight")]);

            var sentences = CorpusFile.Open(new FileInfo(path), "--input", CancellationToken.None).Select(s => string.Join('|', s)).ToList();

            sentences.Should().Equal("one|two", "three", "four|five|six", "seven|eight");
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
