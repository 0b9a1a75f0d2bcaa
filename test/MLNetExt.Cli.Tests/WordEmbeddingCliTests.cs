using System.Diagnostics;
using System.Globalization;

namespace MLNetExt.Cli.Tests;

public sealed class WordEmbeddingCliTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("mlnetext-embedding-cli-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    /// <summary>A seeded corpus of 30 words, a few sentences per line, small enough to train in well under a second.</summary>
    private string WriteCorpus(int lines = 300)
    {
        var random = new Random(3);
        string path = Path.Combine(_folder, "corpus.txt");
        File.WriteAllLines(path, Enumerable.Range(0, lines).Select(_ =>
            string.Join(' ', Enumerable.Range(0, random.Next(3, 12)).Select(_ => $"w{random.Next(30)}"))));
        return path;
    }

    [Theory]
    [InlineData("vectors.bin", null, "word2vec binary")]
    [InlineData("vectors.txt", null, "word2vec text")]
    [InlineData("vectors.bin", "false", "word2vec text")]
    public void Word2vec_writes_vectors_that_similar_queries(string outputName, string? binary, string format)
    {
        string corpus = WriteCorpus();
        string output = Path.Combine(_folder, outputName);
        string[] arguments = ["word2vec", "--input", corpus, "--output", output, "--size", "8", "--epochs", "2", "--min-count", "2", "--threads", "1", "--sg", "1"];
        if (binary is not null)
            arguments = [.. arguments, "--binary", binary];

        var train = CliProcess.Run(_folder, arguments);

        train.ExitCode.Should().Be(0, train.Error);
        train.Output.Should().Contain("vocabulary 30 words").And.Contain("epoch 1/2").And.Contain("epoch 2/2")
            .And.Contain($"Vectors written to {output} (30 words × 8, {format} format)");
        File.ReadAllBytes(output).AsSpan(0, 5).SequenceEqual("30 8\n"u8).Should().BeTrue("a word2vec file starts with its \"V D\" header");

        var similar = CliProcess.Run(_folder, "similar", "--vectors", output, "--word", "w3", "--top", "4");
        similar.ExitCode.Should().Be(0, similar.Error);
        var lines = similar.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        lines.Should().HaveCount(4);
        lines.Should().OnlyContain(line => line.StartsWith('w') && !line.StartsWith("w3\t", StringComparison.Ordinal));
        float.Parse(lines[0].Split('\t')[1], CultureInfo.InvariantCulture).Should().BeInRange(-1, 1);
    }

    [Fact]
    public void Glove_writes_GloVe_text_vectors()
    {
        string corpus = WriteCorpus();
        string output = Path.Combine(_folder, "glove.txt");

        var train = CliProcess.Run(_folder, "glove", "-i", corpus, "-o", output, "--size", "6", "--epochs", "3", "--min-count", "2", "--window", "4", "--threads", "1");

        train.ExitCode.Should().Be(0, train.Error);
        train.Output.Should().Contain("epoch 3/3  cost").And.Contain($"Vectors written to {output} (30 words × 6, GloVe text format)");
        var lines = File.ReadAllLines(output);
        lines.Should().HaveCount(30, "GloVe text has no header line");
        lines.Should().OnlyContain(line => line.Split(' ').Length == 7);
        CliProcess.Run(_folder, "similar", "-v", output, "-w", "w0").ExitCode.Should().Be(0);
    }

    [Theory]
    [InlineData("word2vec", "--help")]
    [InlineData("glove", "--help")]
    [InlineData("similar", "--help")]
    public void Every_embedding_command_has_help(params string[] arguments)
    {
        var run = CliProcess.Run(_folder, arguments);

        run.ExitCode.Should().Be(0);
        run.Output.Should().Contain("Usage:").And.Contain("Options:").And.Contain(arguments[0]);
    }

    [Theory]
    [InlineData("missing-input")]
    [InlineData("bad-size")]
    [InlineData("bad-sg")]
    [InlineData("min-count")]
    [InlineData("empty")]
    [InlineData("not-utf8")]
    [InlineData("unknown-word")]
    [InlineData("vectors-directory")]
    [InlineData("corpus-directory")]
    public void Errors_are_one_line_and_exit_non_zero_without_writing_vectors(string problem)
    {
        string corpus = WriteCorpus(20);
        string output = Path.Combine(_folder, "out.bin");
        string empty = Path.Combine(_folder, "empty.txt");
        File.WriteAllText(empty, "  \n\n");
        string latin1 = Path.Combine(_folder, "latin1.txt");
        File.WriteAllBytes(latin1, [.. "caf"u8, 0xE9, .. " au lait\n"u8]);
        string vectors = Path.Combine(_folder, "v.txt");
        File.WriteAllText(vectors, "a 1 2\nb 3 4\n");
        string[] arguments = problem switch
        {
            "missing-input" => ["word2vec", "-i", Path.Combine(_folder, "nope.txt"), "-o", output],
            "bad-size" => ["word2vec", "-i", corpus, "-o", output, "--size", "0"],
            "bad-sg" => ["word2vec", "-i", corpus, "-o", output, "--sg", "2"],
            "min-count" => ["glove", "-i", corpus, "-o", output, "--min-count", "1000"],
            "empty" => ["word2vec", "-i", empty, "-o", output],
            "not-utf8" => ["word2vec", "-i", latin1, "-o", output, "--min-count", "1"],
            "vectors-directory" => ["similar", "-v", _folder, "-w", "a"],
            "corpus-directory" => ["glove", "-i", _folder, "-o", output],
            _ => ["similar", "-v", vectors, "-w", "zzz"],
        };

        var run = CliProcess.Run(_folder, arguments);

        run.ExitCode.Should().NotBe(0);
        run.Error.TrimEnd().Split('\n').Should().ContainSingle().Which.Should().StartWith("mlnetext: error: ");
        run.Error.Should().NotContain("   at ");
        File.Exists(output).Should().BeFalse();
    }

    /// <summary>
    /// Issue 15: /dev/zero (a huge file without newlines) as a corpus or a vectors file ran the process out of memory
    /// ("Out of memory." and SIGABRT). Now every read is capped: one error line naming the file, and nothing written.
    /// </summary>
    [Theory]
    [InlineData("word2vec")]
    [InlineData("glove")]
    [InlineData("similar")]
    public void Dev_zero_as_corpus_or_vectors_is_a_one_line_error_naming_it(string command)
    {
        if (!File.Exists("/dev/zero"))
            return;
        string output = Path.Combine(_folder, "out.txt");
        string[] arguments = command == "similar"
            ? ["similar", "-v", "/dev/zero", "-w", "a"]
            : [command, "-i", "/dev/zero", "-o", output, "--min-count", "1"];

        var run = CliProcess.Run(_folder, arguments);

        run.ExitCode.Should().Be(1, run.Error);
        run.Error.TrimEnd().Split('\n').Should().ContainSingle().Which.Should().StartWith("mlnetext: error: '/dev/zero'");
        File.Exists(output).Should().BeFalse();
        Directory.GetFiles(_folder).Should().NotContain(f => f.EndsWith(".tmp", StringComparison.Ordinal));
    }

    [Fact]
    public void Interrupt_stops_word2vec_and_writes_nothing()
    {
        string corpus = WriteCorpus();
        string output = Path.Combine(_folder, "interrupted.bin");
        using var process = CliProcess.Start(_folder, "word2vec", "-i", corpus, "-o", output, "--size", "8", "--min-count", "1",
            "--epochs", "1000000", "--threads", "1");

        process.WaitForOutput("epoch 2/1000000", TimeSpan.FromMinutes(1));
        using (var kill = Process.Start("/bin/kill", ["-INT", process.Id.ToString(CultureInfo.InvariantCulture)]))
            kill.WaitForExit();
        int exitCode = process.WaitForExit(TimeSpan.FromMinutes(1));

        exitCode.Should().Be(130, process.Error);
        process.Output.Should().Contain($"Training was canceled; nothing was written to {output}");
        File.Exists(output).Should().BeFalse();
        Directory.GetFiles(_folder).Should().NotContain(f => f.EndsWith(".tmp", StringComparison.Ordinal));
    }
}
