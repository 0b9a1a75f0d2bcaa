using System.Globalization;

namespace MLNetExt.Cli.Tests;

public sealed class SequenceCommandTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("mlnetext-seq-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private string Write(string name, IEnumerable<string> lines)
    {
        string path = Path.Combine(_folder, name);
        File.WriteAllLines(path, lines);
        return path;
    }

    [Fact]
    public void ClassifyTrainsOnATextColumnAndSavesTheModel()
    {
        var random = new Random(3);
        string[] good = ["good", "great", "fine"], bad = ["bad", "awful", "poor"];
        var lines = new List<string> { "text\tlabel" };
        for (int i = 0; i < 120; i++)
        {
            bool positive = random.Next(2) == 0;
            lines.Add($"the food was {(positive ? good : bad)[random.Next(3)]}\t{(positive ? "yes" : "no")}");
        }
        string data = Write("reviews.tsv", lines);
        string model = Path.Combine(_folder, "classify.zip");

        var run = CliProcess.Run(_folder, "sequence", "--task", "classify", "--cell", "gru", "--dataset", data, "--text-col", "text",
            "--label-col", "label", "--epochs", "15", "--hidden", "8", "--learning-rate", "0.02", "--output", model, "--no-progress");

        run.ExitCode.Should().Be(0, run.Error);
        run.Output.Should().Contain("binary classification").And.Contain("Gru network").And.Contain("AreaUnderRocCurve").And.Contain($"Model saved to {model}");
        File.Exists(model).Should().BeTrue();
    }

    [Fact]
    public void ForecastReportsTheModelAndNaiveErrors()
    {
        var lines = new List<string> { "value" };
        for (int t = 0; t < 160; t++)
            lines.Add((10 + 3 * Math.Sin(2 * Math.PI * t / 8)).ToString("F4", CultureInfo.InvariantCulture));
        string data = Write("series.csv", lines);
        string model = Path.Combine(_folder, "forecast.zip");

        var run = CliProcess.Run(_folder, "sequence", "--task", "forecast", "--cell", "rnn", "--dataset", data, "--series-col", "value", "--window", "8",
            "--horizon", "2", "--epochs", "3", "--hidden", "8", "--output", model, "--no-progress");

        run.ExitCode.Should().Be(0, run.Error);
        run.Output.Should().Contain("window 8, horizon 2; Rnn network").And.Contain("MeanAbsoluteError").And.Contain("NaiveMeanAbsoluteError");
        File.Exists(model).Should().BeTrue();
    }

    [Fact]
    public void TagReportsTokenAccuracy()
    {
        var lines = new List<string> { "tokens\ttags" };
        for (int i = 0; i < 60; i++)
            lines.Add(i % 2 == 0 ? "it was not good\tO O CUE NEG" : "it was good\tO O O");
        string data = Write("tags.tsv", lines);

        var run = CliProcess.Run(_folder, "sequence", "--task", "tag", "--dataset", data, "--text-col", "tokens", "--label-col", "tags",
            "--epochs", "2", "--hidden", "4", "--output", Path.Combine(_folder, "tag.zip"), "--no-progress");

        run.ExitCode.Should().Be(0, run.Error);
        run.Output.Should().Contain("TokenAccuracy");
    }

    [Fact]
    public void MissingColumnOptionIsOneLineError()
    {
        string data = Write("series.csv", ["value", "1", "2", "3"]);

        var run = CliProcess.Run(_folder, "sequence", "--task", "forecast", "--dataset", data, "--output", Path.Combine(_folder, "x.zip"));

        run.ExitCode.Should().Be(1);
        run.Error.Trim().Should().Be("mlnetext: error: --task forecast needs --series-col.");
    }
}
