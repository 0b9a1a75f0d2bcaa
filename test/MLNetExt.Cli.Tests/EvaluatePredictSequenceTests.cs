using System.Globalization;

namespace MLNetExt.Cli.Tests;

/// <summary>
/// <c>mlnetext evaluate</c> and <c>predict</c> on models trained by <c>mlnetext sequence</c> (and an MLP regressor):
/// the task comes from the model's output columns, the data is read with its saved input schema.
/// </summary>
public sealed class EvaluatePredictSequenceTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("mlnetext-evalseq-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private string Write(string name, IEnumerable<string> lines)
    {
        string path = Path.Combine(_folder, name);
        File.WriteAllLines(path, lines);
        return path;
    }

    private string Train(string name, params string[] arguments)
    {
        string model = Path.Combine(_folder, name);
        var run = CliProcess.Run(_folder, ["sequence", .. arguments, "--hidden", "6", "--output", model, "--no-progress"]);
        run.ExitCode.Should().Be(0, run.Error);
        return model;
    }

    /// <summary>Reviews whose label is the mood word's class: good/bad (binary, as yes/no) or good/bad/so-so (three classes).</summary>
    private string WriteReviews(string name, bool threeClasses, bool withLabel = true, int rows = 90)
    {
        var random = new Random(5);
        string[][] words = [["good", "great"], ["bad", "awful"], ["okay", "average"]];
        string[] labels = threeClasses ? ["positive", "negative", "neutral"] : ["yes", "no"];
        var lines = new List<string> { withLabel ? "text\tlabel" : "text" };
        for (int i = 0; i < rows; i++)
        {
            int mood = random.Next(labels.Length);
            lines.Add($"the meal was {words[mood][random.Next(2)]}" + (withLabel ? $"\t{labels[mood]}" : ""));
        }
        return Write(name, lines);
    }

    [Fact]
    public void BinaryClassifierIsEvaluatedAndPredictsWithoutTheLabel()
    {
        string model = Train("binary.zip", "--task", "classify", "--dataset", WriteReviews("reviews.tsv", threeClasses: false),
            "--text-col", "text", "--label-col", "label", "--epochs", "2");

        var evaluate = CliProcess.Run(_folder, "evaluate", "--model", model, "--dataset", WriteReviews("test.tsv", threeClasses: false));
        evaluate.ExitCode.Should().Be(0, evaluate.Error);
        evaluate.Output.Should().Contain("binary classification");
        MetricOf(evaluate.Output, "Accuracy").Should().BeInRange(0, 1);
        MetricOf(evaluate.Output, "AreaUnderRocCurve").Should().BeInRange(0, 1);

        var predict = CliProcess.Run(_folder, "predict", "--model", model, "--dataset", WriteReviews("new.tsv", threeClasses: false, withLabel: false, rows: 5));
        predict.ExitCode.Should().Be(0, predict.Error);
        var lines = Lines(predict.Output);
        lines.Should().HaveCount(6);
        lines[0].Should().Be("PredictedLabel,Score,Probability");
        lines.Skip(1).Select(l => l.Split(',')[0]).Should().OnlyContain(v => v == "true" || v == "false");
        lines.Skip(1).Select(l => double.Parse(l.Split(',')[2], CultureInfo.InvariantCulture)).Should().OnlyContain(p => p >= 0 && p <= 1);
    }

    [Fact]
    public void MulticlassClassifierReportsMicroAccuracyAndNamesItsClasses()
    {
        string data = WriteReviews("moods.tsv", threeClasses: true);
        string model = Train("multi.zip", "--task", "classify", "--dataset", data, "--text-col", "text", "--label-col", "label",
            "--epochs", "2");

        var evaluate = CliProcess.Run(_folder, "evaluate", "--model", model, "--dataset", data);
        evaluate.ExitCode.Should().Be(0, evaluate.Error);
        evaluate.Output.Should().Contain("multiclass classification").And.Contain("MacroAccuracy").And.Contain("LogLossReduction");
        MetricOf(evaluate.Output, "MicroAccuracy").Should().BeInRange(0, 1);

        var predict = CliProcess.Run(_folder, "predict", "--model", model, "--dataset", WriteReviews("new.tsv", threeClasses: true, withLabel: false, rows: 4));
        predict.ExitCode.Should().Be(0, predict.Error);
        var lines = Lines(predict.Output);
        lines[0].Split(',').Should().BeEquivalentTo(["PredictedLabel", "Score.positive", "Score.negative", "Score.neutral"]);
        lines.Skip(1).Should().HaveCount(4).And.OnlyContain(l => l.Split(',').Length == 4);
        lines.Skip(1).Select(l => l.Split(',')[0]).Should().OnlyContain(v => v == "positive" || v == "negative" || v == "neutral");
    }

    [Fact]
    public void TaggerReportsTokenAccuracyAndWritesOneTagPerWord()
    {
        var lines = new List<string> { "tokens\ttags" };
        for (int i = 0; i < 40; i++)
            lines.Add(i % 2 == 0 ? "it was not good\tO O CUE NEG" : "it was good\tO O O");
        string data = Write("tags.tsv", lines);
        string model = Train("tag.zip", "--task", "tag", "--dataset", data, "--text-col", "tokens", "--label-col", "tags", "--epochs", "2");

        var evaluate = CliProcess.Run(_folder, "evaluate", "--model", model, "--dataset", data);
        evaluate.ExitCode.Should().Be(0, evaluate.Error);
        evaluate.Output.Should().Contain("tagging");
        MetricOf(evaluate.Output, "TokenAccuracy").Should().BeInRange(0, 1);

        var predict = CliProcess.Run(_folder, "predict", "--model", model, "--dataset", Write("new.tsv", ["tokens", "it was not good", "good"]));
        predict.ExitCode.Should().Be(0, predict.Error);
        var output = Lines(predict.Output);
        output[0].Should().Be("PredictedLabel,Score");
        output.Should().HaveCount(3);
        var tags = output[1].Split(',')[0];
        tags.Should().StartWith("\"").And.EndWith("\"");
        tags.Trim('"').Split(' ').Should().HaveCount(4).And.OnlyContain(t => t == "O" || t == "CUE" || t == "NEG");
        output[2].Split(',')[0].Trim('"').Split(' ').Should().ContainSingle();
        output[2].Split(',')[1].Trim('"').Split(' ').Should().HaveCount(3, "one probability per tag class for the one word");
    }

    [Fact]
    public void ForecasterIsEvaluatedPerStepOnTheWindowsItWasTestedOn()
    {
        var series = Enumerable.Range(0, 160).Select(t => (float)(10 + 3 * Math.Sin(2 * Math.PI * t / 8))).ToArray();
        string text(float v) => v.ToString("F4", CultureInfo.InvariantCulture);
        string data = Write("series.csv", ["value", .. series.Select(text)]);
        string model = Path.Combine(_folder, "forecast.zip");
        var train = CliProcess.Run(_folder, "sequence", "--task", "forecast", "--dataset", data, "--series-col", "value", "--window", "8",
            "--horizon", "2", "--epochs", "2", "--hidden", "6", "--output", model, "--no-progress");
        train.ExitCode.Should().Be(0, train.Error);

        // The sequence command tests on the windows from 8 values before its test part (the last 20%, from value 128) on.
        var windows = new List<string> { "Features,Label" };
        for (int start = 120; start + 10 <= series.Length; start++)
            windows.Add($"\"{string.Join(' ', series[start..(start + 8)].Select(text))}\",\"{string.Join(' ', series[(start + 8)..(start + 10)].Select(text))}\"");
        string test = Write("windows.csv", windows);

        var evaluate = CliProcess.Run(_folder, "evaluate", "--model", model, "--dataset", test);
        evaluate.ExitCode.Should().Be(0, evaluate.Error);
        evaluate.Output.Should().Contain("multi-step regression").And.Contain("RootMeanSquaredError (step 2)");
        double mae = MetricOf(evaluate.Output, "MeanAbsoluteError");
        mae.Should().BeApproximately(MetricOf(train.Output, "MeanAbsoluteError"), 2e-4, "evaluate reads the same windows the test metrics used");
        ((MetricOf(evaluate.Output, "MeanAbsoluteError (step 1)") + MetricOf(evaluate.Output, "MeanAbsoluteError (step 2)")) / 2)
            .Should().BeApproximately(mae, 2e-4);

        var predict = CliProcess.Run(_folder, "predict", "--model", model, "--dataset", Write("past.csv", ["Features", $"\"{string.Join(' ', series[..8].Select(text))}\""]));
        predict.ExitCode.Should().Be(0, predict.Error);
        var lines = Lines(predict.Output);
        lines.Should().HaveCount(2);
        lines[0].Should().Be("Score.1,Score.2");
        lines[1].Split(',').Select(v => double.Parse(v, CultureInfo.InvariantCulture)).Should().OnlyContain(v => double.IsFinite(v));

        var raw = CliProcess.Run(_folder, "evaluate", "--model", model, "--dataset", data);
        raw.ExitCode.Should().Be(1);
        raw.Error.Trim().Should().StartWith($"mlnetext: error: The model needs column 'Features', which '{data}' lacks; its columns are: value.");

        // The raw series from value 120 on, cut by the model's own window (8) and horizon (2): the same windows as above.
        var fromSeries = CliProcess.Run(_folder, "evaluate", "--model", model, "--dataset", Write("tail.csv", ["value", .. series[120..].Select(text)]),
            "--series-col", "value");
        fromSeries.ExitCode.Should().Be(0, fromSeries.Error);
        MetricOf(fromSeries.Output, "MeanAbsoluteError").Should().Be(mae);

        // 11 values give 4 windows of 8; the first is the window predicted above, the last ends with the series.
        var forecasts = CliProcess.Run(_folder, "predict", "--model", model, "--dataset", Write("head.csv", ["value", .. series[..11].Select(text)]),
            "--series-col", "value");
        forecasts.ExitCode.Should().Be(0, forecasts.Error);
        var forecastLines = Lines(forecasts.Output);
        forecastLines.Should().HaveCount(5);
        forecastLines[0].Should().Be("Score.1,Score.2");
        forecastLines[1].Should().Be(lines[1]);

        var tooShort = CliProcess.Run(_folder, "evaluate", "--model", model, "--dataset", Write("short.csv", ["value", .. series[..9].Select(text)]),
            "--series-col", "value");
        tooShort.ExitCode.Should().Be(1);
        tooShort.Error.Trim().Should().Be($"mlnetext: error: Series column 'value' of '{Path.Combine(_folder, "short.csv")}' has 9 values; the model's window of 8 and horizon of 2 need at least 10.");
    }

    [Fact]
    public void SeriesColumnIsRefusedForAModelThatIsNotAForecaster()
    {
        var rows = Enumerable.Range(0, 60).Select(i => string.Create(CultureInfo.InvariantCulture, $"{i % 7},{(i % 7) * 2 + 1}"));
        string data = Write("xy.csv", ["x,y", .. rows]);
        string model = Path.Combine(_folder, "mlp.zip");
        var train = CliProcess.Run(_folder, "train", "--task", "regression", "--dataset", data, "--label-col", "y", "--epochs", "1", "--hidden", "4",
            "--output", model, "--no-progress");
        train.ExitCode.Should().Be(0, train.Error);

        var run = CliProcess.Run(_folder, "evaluate", "--model", model, "--dataset", data, "--series-col", "x");

        run.ExitCode.Should().Be(1);
        run.Error.Trim().Should().StartWith("mlnetext: error: --series-col needs a forecaster saved by 'mlnetext sequence --task forecast'")
            .And.Contain($"model '{model}' is not one");
    }

    [Fact]
    public void WrongNumberOfValuesInAVectorColumnIsOneLineError()
    {
        var series = Enumerable.Range(0, 40).Select(t => (t % 4).ToString(CultureInfo.InvariantCulture));
        string model = Train("short.zip", "--task", "forecast", "--dataset", Write("s.csv", ["y", .. series]), "--series-col", "y",
            "--window", "3", "--horizon", "2", "--epochs", "1");

        var run = CliProcess.Run(_folder, "evaluate", "--model", model, "--dataset", Write("w.csv", ["Features,Label", "\"0 1 2\",\"3\""]));

        run.ExitCode.Should().Be(1);
        run.Error.Trim().Should().EndWith("w.csv', line 2, column 'Label': 1 number(s) where the model reads 2, separated by spaces.");
    }

    [Fact]
    public void MlpRegressorIsEvaluatedWithRegressionMetrics()
    {
        var random = new Random(2);
        var rows = Enumerable.Range(0, 80).Select(_ => (X: random.NextDouble(), Noise: random.NextDouble() * 0.1))
            .Select(r => string.Create(CultureInfo.InvariantCulture, $"{r.X:F4},{2 * r.X + r.Noise:F4}"));
        string data = Write("line.csv", ["x,y", .. rows]);
        string model = Path.Combine(_folder, "line.zip");
        var train = CliProcess.Run(_folder, "train", "--task", "regression", "--dataset", data, "--label-col", "y", "--epochs", "2",
            "--hidden", "4", "--output", model, "--no-progress");
        train.ExitCode.Should().Be(0, train.Error);

        var evaluate = CliProcess.Run(_folder, "evaluate", "--model", model, "--dataset", data);
        evaluate.ExitCode.Should().Be(0, evaluate.Error);
        evaluate.Output.Should().Contain("(regression)").And.Contain("RSquared");
        MetricOf(evaluate.Output, "RootMeanSquaredError").Should().BeGreaterThanOrEqualTo(MetricOf(evaluate.Output, "MeanAbsoluteError"));

        var predict = CliProcess.Run(_folder, "predict", "--model", model, "--dataset", Write("xs.csv", ["x", "0.5", "0.25"]));
        predict.ExitCode.Should().Be(0, predict.Error);
        Lines(predict.Output).Should().HaveCount(3).And.StartWith("Score");
    }

    private static string[] Lines(string output) => output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    /// <summary>The value in the table row whose metric cell is exactly <paramref name="name"/>.</summary>
    private static double MetricOf(string table, string name)
    {
        var cells = table.Split('\n')
            .Select(line => line.Split('│', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            .First(cells => cells.Length == 2 && cells[0] == name);
        return double.Parse(cells[1], CultureInfo.InvariantCulture);
    }
}
