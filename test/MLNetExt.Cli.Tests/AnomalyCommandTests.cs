using System.Diagnostics;
using System.Globalization;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace MLNetExt.Cli.Tests;

/// <summary>
/// <c>mlnetext anomaly</c> run as a process: the autoencoder detector trained from a CSV, its metrics, model and scores
/// file, the model read by <c>evaluate</c>, <c>predict</c> and plain ML.NET, and its errors.
/// </summary>
public sealed class AnomalyCommandTests : IDisposable
{
    private const int FeatureCount = 12;

    private readonly string _folder = Directory.CreateTempSubdirectory("mlnetext-anomaly-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    /// <summary>
    /// An id column (text, which the command skips), 12 features f0..f11 and a 0/1 'anomaly' label. A normal row lies
    /// near a 3-D subspace, x = A·z + 0.05·noise with a fixed random 12×3 A, then shifted and scaled per feature so that
    /// standardization matters; an anomaly (about <paramref name="anomalyRate"/> of the rows) is Gaussian in all 12
    /// directions, rescaled to a normal row's norm, so neither the norm nor a single feature gives it away.
    /// </summary>
    private string WriteSubspace(string name, int rows, int seed = 1, double anomalyRate = 0.1)
    {
        var mixing = new Random(12345);
        var a = new double[FeatureCount, 3];
        for (int f = 0; f < FeatureCount; f++)
        {
            for (int k = 0; k < 3; k++)
                a[f, k] = Gaussian(mixing);
        }
        var random = new Random(seed);
        var lines = new List<string> { "id," + string.Join(",", Enumerable.Range(0, FeatureCount).Select(f => $"f{f}")) + ",anomaly" };
        for (int i = 0; i < rows; i++)
        {
            double[] z = [Gaussian(random), Gaussian(random), Gaussian(random)];
            var x = new double[FeatureCount];
            for (int f = 0; f < FeatureCount; f++)
                x[f] = a[f, 0] * z[0] + a[f, 1] * z[1] + a[f, 2] * z[2] + 0.05 * Gaussian(random);
            bool anomaly = random.NextDouble() < anomalyRate;
            if (anomaly)
            {
                var off = Enumerable.Range(0, FeatureCount).Select(_ => Gaussian(random)).ToArray();
                double scale = Norm(x) / Norm(off);
                x = [.. off.Select(v => v * scale)];
            }
            lines.Add($"row{i}," + string.Join(",", x.Select((v, f) => (10 + (f + 1) * v).ToString("F4", CultureInfo.InvariantCulture))) + (anomaly ? ",1" : ",0"));
        }
        return Write(name, lines);
    }

    private string Write(string name, IEnumerable<string> lines)
    {
        string path = Path.Combine(_folder, name);
        File.WriteAllLines(path, lines);
        return path;
    }

    private static double Gaussian(Random random) => Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());

    private static double Norm(double[] values) => Math.Sqrt(values.Sum(v => v * v));

    /// <summary>A small network that learns the 3-D subspace in a few seconds.</summary>
    private static string[] Network => ["--hidden", "16", "--code-size", "3", "--epochs", "60", "--learning-rate", "0.01", "--seed", "7", "--no-progress"];

    [Fact]
    public void LabelledRunReportsAucAndWritesAModelPlainMLNetLoadsAndEveryRowsScore()
    {
        string data = WriteSubspace("data.csv", 600);
        string model = Path.Combine(_folder, "model.zip");
        string scores = Path.Combine(_folder, "scores.csv");

        var run = CliProcess.Run(_folder, ["anomaly", "--dataset", data, "--label-col", "anomaly", "--contamination", "0.1", .. Network,
            "--output", model, "--scores", scores]);

        run.ExitCode.Should().Be(0, run.Error);
        run.Output.Should().Contain("12 numeric feature column(s); label 'anomaly' (metrics only); skipped non-numeric: id; Dense autoencoder, code size 3")
            .And.Contain("epoch 1/60").And.Contain("Training metrics").And.Contain($"Scores written to {scores}").And.Contain($"Model saved to {model}");
        MetricOf(run.Output, "AreaUnderRocCurve").Should().BeGreaterThan(0.9, "the anomalies lie off the subspace a 3-wide code captures");
        MetricOf(run.Output, "DetectionRateAtFalsePositiveCount (10)").Should().BeInRange(0, 1);

        var lines = File.ReadAllLines(scores);
        lines[0].Should().Be("Row,Score,PredictedLabel,anomaly");
        lines.Should().HaveCount(601, "one line per data row after the header");
        var rows = lines.Skip(1).Select(l => l.Split(',')).ToArray();
        rows.Select(r => int.Parse(r[0], CultureInfo.InvariantCulture)).Should().Equal(Enumerable.Range(1, 600));
        var labels = File.ReadAllLines(data).Skip(1).Select(l => l.Split(',')[^1] == "1" ? "true" : "false");
        rows.Select(r => r[3]).Should().Equal(labels, "the label is copied from the file, row by row");
        int flagged = rows.Count(r => r[2] == "true");
        flagged.Should().BeCloseTo(60, 1, "the threshold is the 90% quantile of the scores of the training rows, here every row");
        run.Output.Should().Contain($": {flagged} of 600 row(s) flagged as anomalies");
        float threshold = float.Parse(run.Output.Split("Threshold ")[1].Split(':')[0], CultureInfo.InvariantCulture);
        rows.Should().OnlyContain(r => (r[2] == "true") == (float.Parse(r[1], CultureInfo.InvariantCulture) > threshold));

        // Plain ML.NET reads the saved model with its own loader (scoring through ONNX Runtime, so to rounding) and gives the scores the file holds.
        var ml = new MLContext();
        var loaded = ml.Model.Load(model, out var inputSchema);
        inputSchema.Select(c => c.Name).Should().Equal([.. Enumerable.Range(0, FeatureCount).Select(f => $"f{f}"), "anomaly"]);
        var text = ml.Data.LoadFromTextFile(data, [.. Enumerable.Range(0, FeatureCount).Select(f => new TextLoader.Column($"f{f}", DataKind.Single, f + 1))],
            separatorChar: ',', hasHeader: true);
        var scored = loaded.Transform(text);
        var expected = rows.Select(r => float.Parse(r[1], CultureInfo.InvariantCulture)).ToArray();
        scored.GetColumn<float>("Score").Select((s, i) => Math.Abs(s - expected[i]) <= 1e-4f * Math.Max(1, expected[i])).Should().OnlyContain(close => close);
        scored.GetColumn<bool>("PredictedLabel").Should().Equal(rows.Select(r => r[2] == "true"));
    }

    [Fact]
    public void HeldOutRowsGiveTheTestMetricsAndEvaluateAndPredictReadTheModel()
    {
        string data = WriteSubspace("data.csv", 500, seed: 2);
        string model = Path.Combine(_folder, "model.zip");
        var train = CliProcess.Run(_folder, ["anomaly", "--dataset", data, "--label-col", "anomaly", "--test-fraction", "0.3", "--kind", "denoising",
            .. Network, "--output", model]);
        train.ExitCode.Should().Be(0, train.Error);
        train.Output.Should().Contain("Denoising autoencoder").And.Contain("Test metrics (").And.NotContain("Training metrics");
        MetricOf(train.Output, "AreaUnderRocCurve").Should().BeGreaterThan(0.9);

        var evaluate = CliProcess.Run(_folder, "evaluate", "--model", model, "--dataset", WriteSubspace("new.csv", 300, seed: 3));
        evaluate.ExitCode.Should().Be(0, evaluate.Error);
        evaluate.Output.Should().Contain("(anomaly detection); label column 'anomaly'");
        MetricOf(evaluate.Output, "AreaUnderRocCurve").Should().BeGreaterThan(0.9, "the detector generalizes to new rows of the same kinds");

        // Without the label: predict needs only the features.
        string unlabelled = Write("unlabelled.csv", File.ReadAllLines(data).Take(6).Select(l => l[..l.LastIndexOf(',')]));
        var predict = CliProcess.Run(_folder, "predict", "--model", model, "--dataset", unlabelled);
        predict.ExitCode.Should().Be(0, predict.Error);
        var lines = predict.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        lines[0].Should().Be("PredictedLabel,Score");
        lines.Skip(1).Should().HaveCount(5).And.OnlyContain(l => (l.StartsWith("true,", StringComparison.Ordinal) || l.StartsWith("false,", StringComparison.Ordinal))
            && float.Parse(l.Split(',')[1], CultureInfo.InvariantCulture) >= 0);
    }

    [Fact]
    public void LabelOfOneClassGivesANoteInsteadOfMetricsAndEvaluateRefusesIt()
    {
        string data = WriteSubspace("normal.csv", 100, anomalyRate: 0);
        string model = Path.Combine(_folder, "model.zip");

        var train = CliProcess.Run(_folder, "anomaly", "--dataset", data, "--label-col", "anomaly", "--epochs", "2", "--output", model, "--no-progress");

        train.ExitCode.Should().Be(0, train.Error);
        train.Output.Should().Contain("The training rows hold no anomalies by label 'anomaly', so no metrics are printed.")
            .And.NotContain("AreaUnderRocCurve").And.Contain($"Model saved to {model}");
        var evaluate = CliProcess.Run(_folder, "evaluate", "--model", model, "--dataset", data);
        evaluate.ExitCode.Should().Be(1);
        evaluate.Error.Trim().Should().Be("mlnetext: error: Label 'anomaly' marks no row as an anomaly, so AreaUnderRocCurve is not defined; evaluate on rows of both kinds.");
    }

    [Fact]
    public void ConvolutionalKindReadsTheFeatureColumnsAsAnImage()
    {
        // 8×8 grey images, one bright bar on a dark noisy background: horizontal in a normal image, vertical in an anomaly (yes).
        var random = new Random(4);
        var lines = new List<string> { string.Join(",", Enumerable.Range(0, 64).Select(p => $"p{p}")) + ",odd" };
        for (int i = 0; i < 300; i++)
        {
            bool anomaly = random.NextDouble() < 0.1;
            var image = Enumerable.Range(0, 64).Select(_ => 0.1 * random.NextDouble()).ToArray();
            int position = random.Next(7), width = 1 + random.Next(2);
            double brightness = 0.6 + 0.4 * random.NextDouble();
            for (int line = position; line < position + width; line++)
            {
                for (int along = 0; along < 8; along++)
                    image[anomaly ? along * 8 + line : line * 8 + along] = brightness;
            }
            lines.Add(string.Join(",", image.Select(v => v.ToString("F3", CultureInfo.InvariantCulture))) + (anomaly ? ",yes" : ",no"));
        }
        string data = Write("bars.csv", lines);

        var run = CliProcess.Run(_folder, "anomaly", "--dataset", data, "--label-col", "odd", "--kind", "convolutional", "--image-shape", "1,8,8",
            "--epochs", "20", "--learning-rate", "0.01", "--output", Path.Combine(_folder, "conv.zip"), "--no-progress");

        run.ExitCode.Should().Be(0, run.Error);
        run.Output.Should().Contain("64 numeric feature column(s)").And.Contain("Convolutional autoencoder");
        MetricOf(run.Output, "AreaUnderRocCurve").Should().BeGreaterThan(0.9, "vertical bars never appear in the normal images");
    }

    [Theory]
    [InlineData("late-bad-number")]
    [InlineData("missing-value")]
    [InlineData("missing-label")]
    [InlineData("three-valued-label")]
    [InlineData("contamination")]
    [InlineData("test-fraction-without-label")]
    [InlineData("convolutional-without-shape")]
    [InlineData("shape-of-other-size")]
    public void BadInputIsOneLineNamingTheProblem(string problem)
    {
        string data = WriteSubspace("data.csv", 40);
        string[] arguments;
        string expected;
        switch (problem)
        {
            case "late-bad-number":
                // Past the 1000 rows whose values decide the column kinds, so 'f3' is numeric and the bad value is found by the full check.
                var late = File.ReadAllLines(WriteSubspace("late.csv", 1_500));
                late[1_201] = string.Join(",", late[1_201].Split(',').Select((v, i) => i == 4 ? "oops" : v));
                string latePath = Write("late.csv", late);
                arguments = ["--dataset", latePath];
                expected = $"Dataset file '{latePath}', line 1202, column 'f3': 'oops' is not a number.";
                break;
            case "missing-value":
                var lines = File.ReadAllLines(data);
                lines[7] = string.Join(",", lines[7].Split(',').Select((v, i) => i == 2 ? "?" : v));
                arguments = ["--dataset", Write("data.csv", lines)];
                expected = $"Dataset file '{data}', line 8, column 'f1': '?' is not a finite number.";
                break;
            case "missing-label":
                arguments = ["--dataset", data, "--label-col", "Anomaly"];
                expected = $"--label-col 'Anomaly' is not a column of '{data}'; its columns are: id, f0,";
                break;
            case "three-valued-label":
                arguments = ["--dataset", data, "--label-col", "f0"];
                expected = "Label column 'f0' must hold two values such as 1/0, true/false or yes/no";
                break;
            case "contamination":
                arguments = ["--dataset", data, "--contamination", "0.9"];
                expected = "--contamination: Option Contamination must lie in (0, 0.5].";
                break;
            case "test-fraction-without-label":
                arguments = ["--dataset", data, "--test-fraction", "0.2"];
                expected = "--test-fraction needs --label-col";
                break;
            case "convolutional-without-shape":
                arguments = ["--dataset", data, "--label-col", "anomaly", "--kind", "convolutional"];
                expected = "--kind convolutional needs --image-shape";
                break;
            default:
                arguments = ["--dataset", data, "--label-col", "anomaly", "--kind", "convolutional", "--image-shape", "1,4,4"];
                expected = "--image-shape 1,4,4 holds 16 values, but the file has 12 numeric feature column(s).";
                break;
        }
        string model = Path.Combine(_folder, "m.zip");

        var run = CliProcess.Run(_folder, ["anomaly", .. arguments, "--epochs", "1", "--output", model, "--scores", Path.Combine(_folder, "s.csv")]);

        run.ExitCode.Should().Be(1);
        run.Error.TrimEnd().Split('\n').Should().ContainSingle().Which.Should().StartWith("mlnetext: error: " + expected);
        File.Exists(model).Should().BeFalse();
        File.Exists(Path.Combine(_folder, "s.csv")).Should().BeFalse();
    }

    [Fact]
    public void AFailedModelSaveLeavesNoScoresAndNoTemporaryFile()
    {
        // A folder where the model should go: the temporary file's rename over it fails after training.
        string output = Directory.CreateDirectory(Path.Combine(_folder, "taken.zip")).FullName;
        string scores = Path.Combine(_folder, "scores.csv");

        var run = CliProcess.Run(_folder, "anomaly", "--dataset", WriteSubspace("data.csv", 50), "--epochs", "1", "--output", output,
            "--scores", scores, "--no-progress");

        run.ExitCode.Should().Be(1);
        run.Error.TrimEnd().Split('\n').Should().ContainSingle().Which.Should().StartWith("mlnetext: error: ");
        Directory.Exists(output).Should().BeTrue("the folder in the way is left as it was");
        File.Exists(scores).Should().BeFalse("the scores are written after the model is saved");
        Directory.GetFiles(_folder).Should().NotContain(f => f.EndsWith(".tmp", StringComparison.Ordinal));
    }

    [Fact]
    public void HelpListsTheOptions()
    {
        var run = CliProcess.Run(_folder, "anomaly", "--help");

        run.ExitCode.Should().Be(0);
        run.Output.Should().Contain("Usage:").And.Contain("--kind").And.Contain("--image-shape").And.Contain("--contamination").And.Contain("--scores");
    }

    [Fact]
    public void InterruptStopsTrainingAndSavesTheBestModelAndItsScores()
    {
        string data = WriteSubspace("long.csv", 2000);
        string model = Path.Combine(_folder, "interrupted.zip");
        string scores = Path.Combine(_folder, "scores.csv");
        using var process = CliProcess.Start(_folder, "anomaly", "--dataset", data, "--epochs", "100000", "--patience", "0", "--batch-size", "8",
            "--output", model, "--scores", scores);

        process.WaitForOutput("epoch 2/100000", TimeSpan.FromMinutes(1));
        using (var kill = Process.Start("/bin/kill", ["-INT", process.Id.ToString(CultureInfo.InvariantCulture)]))
            kill.WaitForExit();
        int exitCode = process.WaitForExit(TimeSpan.FromMinutes(1));

        exitCode.Should().Be(130, process.Error);
        process.Output.Should().Contain("Training was canceled").And.Contain($"the best model so far was saved to {model}");
        File.Exists(model).Should().BeTrue();
        File.ReadAllLines(scores).Should().HaveCount(2001);
        Directory.GetFiles(_folder).Should().NotContain(f => f.EndsWith(".tmp", StringComparison.Ordinal));
    }

    /// <summary>The value in the table row whose metric cell is exactly <paramref name="name"/>.</summary>
    private static double MetricOf(string table, string name)
    {
        var cells = table.Split('\n')
            .Select(line => line.Split('│', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            .First(cells => cells.Length == 2 && cells[0] == name);
        return double.Parse(cells[1], CultureInfo.InvariantCulture);
    }
}
