using System.Diagnostics;
using System.Globalization;

namespace MLNetExt.Cli.Tests;

public sealed class CliTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("mlnetext-cli-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    /// <summary>
    /// A CSV of XOR-like points: x, y in [-1, 1], a text column the CLI must skip, and label = (x·y &gt; 0) as true/false,
    /// or as the quadrant's name when <paramref name="multiclass"/>.
    /// </summary>
    private string WriteData(string name, int rows, bool multiclass = false, bool withLabel = true)
    {
        var random = new Random(7);
        var lines = new List<string> { withLabel ? "x,y,note,label" : "x,y,note" };
        for (int i = 0; i < rows; i++)
        {
            double x = random.NextDouble() * 2 - 1, y = random.NextDouble() * 2 - 1;
            string label = multiclass ? (x > 0 ? (y > 0 ? "north east" : "south east") : "west") : (x * y > 0 ? "true" : "false");
            lines.Add(string.Create(CultureInfo.InvariantCulture, $"{x:F4},{y:F4},row{i}") + (withLabel ? $",{label}" : ""));
        }
        string path = Path.Combine(_folder, name);
        File.WriteAllLines(path, lines);
        return path;
    }

    [Fact]
    public void TrainPrintsMetricsAndSavesAModelThatEvaluateAndPredictUse()
    {
        string data = WriteData("xor.csv", 300);
        string model = Path.Combine(_folder, "model.zip");

        var train = CliProcess.Run(_folder, "train", "--task", "binary", "--dataset", data, "--label-col", "label", "--epochs", "40",
            "--hidden", "16,16", "--learning-rate", "0.03", "--seed", "3", "--output", model, "--no-progress");

        train.ExitCode.Should().Be(0, train.Error);
        train.Output.Should().Contain("epoch 1/40").And.Contain("Accuracy").And.Contain("AreaUnderRocCurve").And.Contain("F1Score")
            .And.Contain("skipped non-numeric: note").And.Contain($"Model saved to {model}");
        File.Exists(model).Should().BeTrue();

        var evaluate = CliProcess.Run(_folder, "evaluate", "--model", model, "--dataset", data);
        evaluate.ExitCode.Should().Be(0, evaluate.Error);
        double accuracy = MetricOf(evaluate.Output, "Accuracy");
        accuracy.Should().BeGreaterThan(0.85, "the quadrants of XOR are learnable");

        string unlabelled = WriteData("unlabelled.csv", 20, withLabel: false);
        string predictions = Path.Combine(_folder, "predictions.csv");
        var predict = CliProcess.Run(_folder, "predict", "--model", model, "--dataset", unlabelled, "--output", predictions);
        predict.ExitCode.Should().Be(0, predict.Error);
        var lines = File.ReadAllLines(predictions);
        lines[0].Should().Be("PredictedLabel,Score,Probability");
        lines.Should().HaveCount(21);
        lines[1].Split(',')[0].Should().BeOneOf("true", "false");
    }

    [Fact]
    public void MulticlassPredictionsUseTheLabelValues()
    {
        string data = WriteData("quadrants.csv", 200, multiclass: true);
        string model = Path.Combine(_folder, "multi.zip");

        var train = CliProcess.Run(_folder, "train", "--task", "multiclass", "--dataset", data, "--label-col", "label", "--epochs", "10",
            "--ignore-cols", "note", "--output", model);
        train.ExitCode.Should().Be(0, train.Error);
        train.Output.Should().Contain("MicroAccuracy").And.Contain("MacroAccuracy").And.NotContain("skipped");

        var predict = CliProcess.Run(_folder, "predict", "--model", model, "--dataset", data);
        predict.ExitCode.Should().Be(0, predict.Error);
        var lines = predict.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        lines[0].Should().StartWith("PredictedLabel,Score.").And.Contain("Score.west");
        lines.Skip(1).Select(l => l.Split(',')[0]).Should().OnlyContain(label => label == "north east" || label == "south east" || label == "west");
    }

    [Theory]
    [InlineData("--help")]
    [InlineData("train", "--help")]
    [InlineData("evaluate", "--help")]
    [InlineData("predict", "--help")]
    public void EveryCommandHasHelp(params string[] arguments)
    {
        var run = CliProcess.Run(_folder, arguments);

        run.ExitCode.Should().Be(0);
        run.Output.Should().Contain("Usage:").And.Contain("Options:");
    }

    [Theory]
    [InlineData("missing-dataset")]
    [InlineData("bad-task")]
    [InlineData("missing-label")]
    [InlineData("corrupt-model")]
    [InlineData("bad-hidden")]
    [InlineData("late-bad-number")]
    public void BadArgumentsAndFilesGiveOneLineAndANonZeroExitCode(string problem)
    {
        string data = WriteData("data.csv", 20);
        string late = WriteData("late.csv", 1_500);
        var lateLines = File.ReadAllLines(late);
        lateLines[1_201] = "0.5,oops,row1200,true";
        File.WriteAllLines(late, lateLines);
        string corrupt = Path.Combine(_folder, "corrupt.zip");
        File.WriteAllText(corrupt, "not a zip");
        string[] arguments = problem switch
        {
            "missing-dataset" => ["train", "--task", "binary", "--dataset", Path.Combine(_folder, "nope.csv"), "--label-col", "label", "-o", "m.zip"],
            "bad-task" => ["train", "--task", "ranking", "--dataset", data, "--label-col", "label", "-o", "m.zip"],
            "missing-label" => ["train", "--task", "binary", "--dataset", data, "--label-col", "Label", "-o", "m.zip"],
            "corrupt-model" => ["evaluate", "--model", corrupt, "--dataset", data],
            "late-bad-number" => ["train", "--task", "binary", "--dataset", late, "--label-col", "label", "-o", "m.zip"],
            _ => ["train", "--task", "binary", "--dataset", data, "--label-col", "label", "--hidden", "8,zero", "-o", "m.zip"],
        };

        var run = CliProcess.Run(_folder, arguments);

        run.ExitCode.Should().NotBe(0);
        run.Error.TrimEnd().Split('\n').Should().ContainSingle().Which.Should().StartWith("mlnetext: error: ");
        run.Error.Should().NotContain("   at ");
        File.Exists(Path.Combine(_folder, "m.zip")).Should().BeFalse();
        if (problem == "late-bad-number")
            run.Error.Should().Contain("late.csv', line 1202, column 'y': 'oops' is not a number", "a value past the inspected rows is named by file, line and column");
    }

    [Fact]
    public void AFailedSaveLeavesNoModelAndNoTemporaryFile()
    {
        string data = WriteData("data.csv", 60);
        // A folder where the model should go: the save is written to a temporary file beside it, whose rename then fails.
        string output = Directory.CreateDirectory(Path.Combine(_folder, "taken.zip")).FullName;

        var run = CliProcess.Run(_folder, "train", "--task", "binary", "--dataset", data, "--label-col", "label", "--epochs", "1",
            "--output", output, "--no-progress");

        run.ExitCode.Should().Be(1);
        run.Error.TrimEnd().Split('\n').Should().ContainSingle().Which.Should().StartWith("mlnetext: error: ");
        Directory.Exists(output).Should().BeTrue("the folder in the way is left as it was");
        Directory.GetFiles(_folder).Should().NotContain(f => f.EndsWith(".tmp", StringComparison.Ordinal));
    }

    [Fact]
    public void InterruptStopsTrainingAndSavesTheBestModelSoFar()
    {
        string data = WriteData("long.csv", 2000);
        string model = Path.Combine(_folder, "interrupted.zip");
        using var process = CliProcess.Start(_folder, "train", "--task", "binary", "--dataset", data, "--label-col", "label",
            "--epochs", "100000", "--patience", "0", "--batch-size", "8", "--output", model);

        process.WaitForOutput("epoch 2/100000", TimeSpan.FromMinutes(1));
        using (var kill = Process.Start("/bin/kill", ["-INT", process.Id.ToString(CultureInfo.InvariantCulture)]))
            kill.WaitForExit();
        int exitCode = process.WaitForExit(TimeSpan.FromMinutes(1));

        exitCode.Should().Be(130, process.Error);
        process.Output.Should().Contain("Training was canceled").And.Contain($"the best model so far was saved to {model}");
        File.Exists(model).Should().BeTrue();
        CliProcess.Run(_folder, "evaluate", "--model", model, "--dataset", data).ExitCode.Should().Be(0);
    }

    private static double MetricOf(string table, string name)
    {
        var row = table.Split('\n').First(line => line.Contains($" {name} ", StringComparison.Ordinal));
        string value = row.Split('│', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)[^1];
        return double.Parse(value, CultureInfo.InvariantCulture);
    }
}
