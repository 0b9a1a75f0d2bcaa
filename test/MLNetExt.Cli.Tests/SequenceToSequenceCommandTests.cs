using System.Globalization;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace MLNetExt.Cli.Tests;

/// <summary>
/// <c>mlnetext seq2seq</c> as a process: trains on text pairs (upper-casing two short words, character level), prints the
/// test metrics, translates another file's source column into a CSV, writes a greedy ONNX decoder that ONNX Runtime
/// runs, and refuses bad columns and options by name.
/// </summary>
public sealed class SequenceToSequenceCommandTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("mlnetext-seq2seq-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private string WritePairs(string name, int rows, bool withTarget = true)
    {
        var random = new Random(3);
        string Word() => new([.. Enumerable.Range(0, random.Next(2, 5)).Select(_ => (char)('a' + random.Next(6)))]);
        var lines = new List<string> { withTarget ? "input\toutput" : "input" };
        for (int i = 0; i < rows; i++)
        {
            string text = Word() + " " + Word();
            lines.Add(withTarget ? $"{text}\t{text.ToUpperInvariant()}" : text);
        }
        string path = Path.Combine(_folder, name);
        File.WriteAllLines(path, lines);
        return path;
    }

    [Fact]
    public void TrainsReportsTranslatesAndExportsAGreedyOnnxDecoder()
    {
        string data = WritePairs("pairs.tsv", 400);
        string newTexts = WritePairs("new.tsv", 6, withTarget: false);
        string translations = Path.Combine(_folder, "translations.csv");
        string onnx = Path.Combine(_folder, "decoder.onnx");

        var run = CliProcess.Run(_folder, "seq2seq", "--dataset", data, "--source-col", "input", "--target-col", "output", "--hidden", "32",
            "--embedding", "16", "--epochs", "15", "--learning-rate", "0.01", "--beam", "3", "--translate", newTexts, "--output", translations,
            "--onnx", onnx, "--no-progress");

        run.ExitCode.Should().Be(0, run.Error);
        run.Output.Should().Contain("'input' → 'output', 400 pairs (360 training, 40 test)").And.Contain("epoch 15/15")
            .And.Contain("ExactMatch").And.Contain("Bleu").And.Contain("RougeL").And.Contain("Wrote 6 translation(s)");
        MetricOf(run.Output, "Bleu").Should().BeGreaterThan(0.8, "upper-casing is learnt within 15 epochs (2 s)");
        MetricOf(run.Output, "ExactMatch").Should().BeGreaterThan(0.5);
        var lines = File.ReadAllLines(translations);
        lines.Should().HaveCount(7);
        lines[0].Should().Be("input,Translation,LogProbability");

        using var session = new InferenceSession(onnx);
        long[] source = [.. "ab cd".Select(c => 0L), 3L];
        using var results = session.Run([NamedOnnxValue.CreateFromTensor("source_ids", new DenseTensor<long>(source, [source.Length]))]);
        var ids = results.Single().AsTensor<long>().ToArray();
        ids.Should().NotBeEmpty().And.OnlyContain(id => id >= 3, "the decoder never writes padding, <unk> or <bos>");
    }

    [Fact]
    public void BadColumnsAndOptionsAreRefusedByName()
    {
        string data = WritePairs("pairs.tsv", 20);

        var missing = CliProcess.Run(_folder, "seq2seq", "--dataset", data, "--source-col", "text", "--target-col", "output");
        missing.ExitCode.Should().Be(1);
        missing.Error.Should().Contain("--source-col").And.Contain("text");

        var beam = CliProcess.Run(_folder, "seq2seq", "--dataset", data, "--source-col", "input", "--target-col", "output", "--beam", "0");
        beam.ExitCode.Should().Be(1);
        beam.Error.Should().Contain("--beam 0 must be in [1, 256]");

        var hidden = CliProcess.Run(_folder, "seq2seq", "--dataset", data, "--source-col", "input", "--target-col", "output", "--hidden", "3");
        hidden.ExitCode.Should().Be(1);
        hidden.Error.Should().Contain("--hidden: ").And.Contain("must be even");
    }

    private static double MetricOf(string table, string name)
    {
        var cells = table.Split('\n')
            .Select(line => line.Split('│', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            .First(cells => cells.Length == 2 && cells[0] == name);
        return double.Parse(cells[1], CultureInfo.InvariantCulture);
    }
}
