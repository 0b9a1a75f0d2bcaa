using System.Globalization;
using Microsoft.ML;

namespace MLNetExt.Cli.Tests;

/// <summary>
/// Issue 15's "nothing lost" rules, as processes: saves are atomic, the first Ctrl+C saves the best model so far, a
/// second one (in quick succession, or while the save runs) neither corrupts nor loses the output and leaves no
/// temporary file, a failure after training keeps the trained model, and <c>predict -o</c> replaces its file atomically.
/// </summary>
/// <remarks>
/// Every case starts with a previous file at the output path and ends with the same check: no temporary file is left
/// in the folder, and the output is either a complete new output (a model that plain ML.NET loads, all the vectors, all
/// the predictions) or the previous file byte for byte. A signal during the save itself is made deterministic with the
/// CLI's test hook <c>MLNETEXT_TEST_SAVE_DELAY_MS</c>, which pauses every save just before it starts and again between
/// writing its temporary file and the rename, saying so on standard error each time. SIGINT reaches the tool only when the test run is in the foreground: a
/// background job of a shell without job control inherits SIGINT ignored.
/// </remarks>
public sealed class AtomicSaveAndInterruptTests : IDisposable
{
    /// <summary>What was at each output path before the run: any bytes will do, as long as they must survive.</summary>
    private static readonly byte[] Previous = "previous output: these bytes must survive a failed or interrupted save"u8.ToArray();

    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(2);

    private static readonly Dictionary<string, string> SlowSave = new() { ["MLNETEXT_TEST_SAVE_DELAY_MS"] = "2500" };

    private readonly string _folder = Directory.CreateTempSubdirectory("mlnetext-atomic-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private enum Outcome
    {
        /// <summary>The previous file, byte for byte.</summary>
        Previous,

        /// <summary>A complete new output.</summary>
        Complete,
    }

    // ---- one Ctrl+C, two in quick succession ----

    [Fact]
    public void OneSigintDuringTrainingSavesTheBestModelOverThePreviousFile()
    {
        string data = WriteXor("long.csv", 2000);
        string model = WritePrevious("model.zip");
        using var process = CliProcess.Start(_folder, LongTraining(data, model));

        process.WaitForOutput("epoch 2/", Timeout);
        process.Signal();
        int exitCode = process.WaitForExit(Timeout);

        exitCode.Should().Be(130, process.Error);
        process.Output.Should().Contain($"the best model so far was saved to {model}");
        Check(model, IsModel).Should().Be(Outcome.Complete);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(10)]
    [InlineData(50)]
    [InlineData(200)]
    [InlineData(1000)]
    public void TwoSigintsInQuickSuccessionLeaveTheBestModelOrThePreviousFile(int gapMilliseconds)
    {
        string data = WriteXor("long.csv", 2000);
        string model = WritePrevious("model.zip");
        using var process = CliProcess.Start(_folder, LongTraining(data, model));

        process.WaitForOutput("epoch 2/", Timeout);
        process.Signal();
        Thread.Sleep(gapMilliseconds);
        process.Signal();
        int exitCode = process.WaitForExit(Timeout);

        exitCode.Should().Be(130, process.Output + process.Error);
        var outcome = Check(model, IsModel);
        if (outcome == Outcome.Previous)
            process.Error.Should().Contain("exiting at once without saving", "a run that ends without saving says so");
        else
            (process.Output + process.Error).Should().Match(text => text.Contains($"the best model so far was saved to {model}") || text.Contains($"{model} is saved; exiting")
                || text.Contains($"{model} was saved before"));
    }

    [Fact]
    public void ASecondSigintJustBeforeTheSaveExitsWithoutTouchingThePreviousFileAndSaysSo()
    {
        string data = WriteXor("long.csv", 2000);
        string model = WritePrevious("model.zip");
        using var process = CliProcess.Start(_folder, SlowSave, LongTraining(data, model));

        process.WaitForOutput("epoch 2/", Timeout);
        process.Signal();
        process.WaitForError($"about to save {model}", Timeout);
        process.Signal();
        int exitCode = process.WaitForExit(Timeout);

        exitCode.Should().Be(130, process.Error);
        process.Error.Should().Contain("mlnetext: Ctrl+C again: exiting at once without saving; no file was being written, so every output file is as it was.");
        Check(model, IsModel).Should().Be(Outcome.Previous);
    }

    [Fact]
    public void ASecondSigintBetweenTheModelAndTheScoresKeepsTheModelAndThePreviousScores()
    {
        string data = WriteXor("long.csv", 2000);
        string model = WritePrevious("model.zip");
        string scores = WritePrevious("scores.csv");
        using var process = CliProcess.Start(_folder, SlowSave, "anomaly", "--dataset", data, "--ignore-cols", "label", "--epochs", "100000",
            "--patience", "0", "--batch-size", "8", "--output", model, "--scores", scores, "--no-progress");

        process.WaitForOutput("epoch 2/", Timeout);
        process.Signal();
        process.WaitForError($"about to save {scores}", Timeout);
        process.Signal();
        int exitCode = process.WaitForExit(Timeout);

        exitCode.Should().Be(130, process.Error);
        process.Output.Should().Contain($"the best model so far was saved to {model}");
        process.Error.Should().Contain($"exiting at once; {model} was saved before, and no file was being written, so every other output file is as it was.");
        Check(model, IsModel).Should().Be(Outcome.Complete);
        Check(scores, _ => false).Should().Be(Outcome.Previous);
    }

    // ---- a signal during the save itself ----

    [Theory]
    [InlineData(0, 1, "INT")]
    [InlineData(0, 2, "INT")]
    [InlineData(1, 1, "INT")]
    [InlineData(1, 3, "INT")]
    [InlineData(1, 1, "TERM")]
    public void SignalsDuringTheSaveWaitForItAndLeaveAValidModel(int duringTraining, int duringSave, string signal)
    {
        string data = WriteXor("long.csv", 2000);
        string model = WritePrevious("model.zip");
        using var process = CliProcess.Start(_folder, SlowSave, duringTraining > 0 ? LongTraining(data, model) : ShortTraining(data, model));

        if (duringTraining > 0)
        {
            process.WaitForOutput("epoch 2/", Timeout);
            process.Signal();
        }
        process.WaitForError("is written to its temporary file", Timeout);
        for (int i = 0; i < duringSave; i++)
        {
            process.Signal(signal);
            Thread.Sleep(50);
        }
        int exitCode = process.WaitForExit(Timeout);

        Check(model, IsModel).Should().Be(Outcome.Complete, "a signal during the save waits for it");
        if (duringTraining + duringSave == 1)
        {
            exitCode.Should().Be(0, process.Error);
            process.Error.Should().Contain($"while {model} is being saved: the save finishes first");
        }
        else
        {
            exitCode.Should().Be(130, process.Error);
            process.Error.Should().Contain($"again while {model} is being saved: waiting for the save to end, then exiting")
                .And.Contain($"mlnetext: {model} is saved; exiting.");
        }
    }

    [Theory]
    [InlineData("sequence")]
    [InlineData("anomaly")]
    [InlineData("word2vec")]
    [InlineData("glove")]
    public void TwoSigintsDuringTheSaveOfEachTrainingCommandWaitForIt(string command)
    {
        string output = WritePrevious(command is "word2vec" or "glove" ? "vectors.txt" : "model.zip");
        string[] arguments = command switch
        {
            "sequence" => ["sequence", "--task", "classify", "--dataset", WriteReviews("reviews.tsv", 120), "--text-col", "text", "--label-col", "label",
                "--epochs", "2", "--hidden", "8", "--output", output, "--no-progress"],
            "anomaly" => ["anomaly", "--dataset", WriteXor("points.csv", 300), "--ignore-cols", "label", "--epochs", "2", "--hidden", "8", "--output", output, "--no-progress"],
            "word2vec" => ["word2vec", "-i", WriteCorpus(), "-o", output, "--binary", "false", "--size", "8", "--epochs", "1", "--min-count", "1", "--threads", "1"],
            _ => ["glove", "-i", WriteCorpus(), "-o", output, "--size", "8", "--epochs", "1", "--min-count", "1", "--threads", "1"],
        };
        using var process = CliProcess.Start(_folder, SlowSave, arguments);

        process.WaitForError("is written to its temporary file", Timeout);
        process.Signal();
        Thread.Sleep(50);
        process.Signal();
        int exitCode = process.WaitForExit(Timeout);

        exitCode.Should().Be(130, process.Error);
        process.Error.Should().Contain($"mlnetext: {output} is saved; exiting.");
        Check(output, command is "word2vec" or "glove" ? IsVectors(command == "word2vec") : IsModel).Should().Be(Outcome.Complete);
    }

    // ---- a failure after training keeps the model ----

    [Fact]
    public void TrainWithATestSplitOfOneClassSavesTheModelAndSaysWhyThereAreNoMetrics()
    {
        // One true label in 40 rows: with seed 1 the test split holds only false labels, where ROC AUC is not defined.
        var random = new Random(2);
        string data = Write("one-class.csv", ["x,y,label", .. Enumerable.Range(0, 40).Select(i =>
            string.Create(CultureInfo.InvariantCulture, $"{random.NextDouble() * 2 - 1:F4},{random.NextDouble() * 2 - 1:F4},{(i == 0 ? "true" : "false")}"))]);
        string model = WritePrevious("model.zip");

        var run = CliProcess.Run(_folder, "train", "--task", "binary", "--dataset", data, "--label-col", "label", "--epochs", "2", "--seed", "1",
            "--output", model, "--no-progress");

        run.ExitCode.Should().Be(0, run.Error);
        run.Output.Should().Contain("The test rows hold only false values").And.Contain("so the binary metrics are not defined").And.Contain($"Model saved to {model}");
        Check(model, IsModel).Should().Be(Outcome.Complete);
    }

    [Fact]
    public void SequenceWithATestSplitOfOneClassSavesTheModelAndSaysWhyThereAreNoMetrics()
    {
        // Two "yes" rows in 60: with seed 1 the test split holds only "no".
        string data = WriteReviews("one-class.tsv", 60, positives: 2);
        string model = WritePrevious("model.zip");

        var run = CliProcess.Run(_folder, "sequence", "--task", "classify", "--dataset", data, "--text-col", "text", "--label-col", "label",
            "--epochs", "2", "--hidden", "8", "--seed", "1", "--output", model, "--no-progress");

        run.ExitCode.Should().Be(0, run.Error);
        run.Output.Should().Contain("The test rows hold only false values").And.Contain($"Model saved to {model}");
        Check(model, IsModel).Should().Be(Outcome.Complete);
    }

    [Fact]
    public void TrainWithAnInfiniteValueRefusesTheFileBeforeTrainingAndKeepsThePreviousModel()
    {
        // Row 50 is infinite. It once fell in the test split, trained, failed the metrics and lost the model; now the
        // file is refused before any training, by line and column, and the previous model stays.
        var random = new Random(3);
        var lines = new List<string> { "x,y,label" };
        for (int i = 0; i < 100; i++)
        {
            double x = random.NextDouble() * 2 - 1, y = random.NextDouble() * 2 - 1;
            lines.Add(i == 50 ? "Infinity,Infinity,true" : string.Create(CultureInfo.InvariantCulture, $"{x:F4},{y:F4},{(x * y > 0 ? "true" : "false")}"));
        }
        string data = Write("infinite.csv", lines);
        string model = WritePrevious("model.zip");

        var run = CliProcess.Run(_folder, "train", "--task", "binary", "--dataset", data, "--label-col", "label", "--epochs", "2", "--seed", "1",
            "--output", model, "--no-progress");

        run.ExitCode.Should().Be(1, run.Output);
        run.Error.Should().Contain("line 52, column 'x': 'Infinity' is not a finite number");
        Check(model, _ => false).Should().Be(Outcome.Previous);
    }

    [Fact]
    public void AnomalyWhoseScoresCannotBeWrittenKeepsTheModelAndExitsWith3()
    {
        string data = WriteXor("points.csv", 300);
        string model = WritePrevious("model.zip");
        // A folder where the scores should go: the model is saved, then the scores' rename fails.
        string scores = Directory.CreateDirectory(Path.Combine(_folder, "scores.csv")).FullName;

        var run = CliProcess.Run(_folder, "anomaly", "--dataset", data, "--ignore-cols", "label", "--epochs", "2", "--hidden", "8",
            "--output", model, "--scores", scores, "--no-progress");

        run.ExitCode.Should().Be(3, run.Output + run.Error);
        run.Error.TrimEnd().Split('\n').Should().ContainSingle().Which.Should().StartWith("mlnetext: error: writing the scores failed: ")
            .And.EndWith($"The trained model was saved to {model} all the same.");
        Check(model, IsModel).Should().Be(Outcome.Complete);
        Directory.Exists(scores).Should().BeTrue();
    }

    // ---- predict -o ----

    [Theory]
    [InlineData("bad-row-late")]
    [InlineData("file-size-limit")]
    public void PredictOverAnExistingFileThatFailsLeavesItAsItWas(string failure)
    {
        string model = TrainQuickModel();
        string data = WriteXor("rows.csv", 20_000, withLabel: false);
        if (failure == "bad-row-late")
        {
            var lines = File.ReadAllLines(data);
            lines[19_001] = "0.5,oops";
            File.WriteAllLines(data, lines);
        }
        string predictions = WritePrevious("predictions.csv");
        string[] arguments = ["predict", "--model", model, "--dataset", data, "--output", predictions];

        // A file size limit stands in for a full disk: the write fails partway, after thousands of predictions.
        var run = failure == "bad-row-late" ? CliProcess.Run(_folder, arguments) : RunWithFileSizeLimit(64, arguments);

        run.ExitCode.Should().Be(1, run.Output);
        run.Error.TrimEnd().Split('\n').Should().ContainSingle().Which.Should().StartWith("mlnetext: error: ").And.Contain(failure == "bad-row-late"
            ? "line 19002, column 'y': 'oops' is not a number"
            : $"Could not write '{predictions}' (a previous file there is left as it was): ");
        Check(predictions, _ => false).Should().Be(Outcome.Previous);
    }

    [Fact]
    public void ASaveThatFailsPartwayLeavesThePreviousModel()
    {
        string data = WriteXor("points.csv", 300);
        string model = WritePrevious("model.zip");

        var run = RunWithFileSizeLimit(4, ShortTraining(data, model));

        run.ExitCode.Should().Be(1, run.Output);
        run.Error.Should().StartWith($"mlnetext: error: Could not write '{model}' (a previous file there is left as it was): ");
        Check(model, _ => false).Should().Be(Outcome.Previous);
    }

    [Fact]
    public void PredictToAPathItCannotReplaceLeavesNoTemporaryFile()
    {
        string model = TrainQuickModel();
        string data = WriteXor("points.csv", 50, withLabel: false);
        string taken = Directory.CreateDirectory(Path.Combine(_folder, "taken.csv")).FullName;

        var run = CliProcess.Run(_folder, "predict", "--model", model, "--dataset", data, "--output", taken);

        run.ExitCode.Should().Be(1, run.Output);
        run.Error.TrimEnd().Split('\n').Should().ContainSingle().Which.Should().StartWith("mlnetext: error: ");
        Directory.Exists(taken).Should().BeTrue();
        TemporaryFiles().Should().BeEmpty();
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void SigintsDuringPredictLeaveAllThePredictionsOrThePreviousFile(bool duringTheSave)
    {
        string model = TrainQuickModel();
        string data = WriteXor("many.csv", 200_000, withLabel: false);
        string predictions = WritePrevious("predictions.csv");
        using var process = duringTheSave
            ? CliProcess.Start(_folder, SlowSave, "predict", "--model", model, "--dataset", data, "--output", predictions)
            : CliProcess.Start(_folder, "predict", "--model", model, "--dataset", data, "--output", predictions);

        if (duringTheSave)
            process.WaitForError("is written to its temporary file", Timeout);
        else
            Thread.Sleep(2500);
        process.Signal();
        Thread.Sleep(50);
        process.Signal();
        int exitCode = process.WaitForExit(Timeout);

        var outcome = Check(predictions, path => File.ReadLines(path).Count() == 200_001);
        if (duringTheSave)
        {
            outcome.Should().Be(Outcome.Complete, "the signals came after the last row");
            exitCode.Should().Be(130);
            process.Error.Should().Contain($"mlnetext: {predictions} is saved; exiting.");
        }
        else
        {
            exitCode.Should().BeOneOf([0, 130], process.Error);
            if (outcome == Outcome.Previous)
                process.Error.Should().Match(text => text.Contains($"predict was canceled; {predictions} was not written") || text.Contains("exiting at once without saving")
                    || text.Contains($"{predictions} was not saved"));
        }
    }

    // ---- helpers ----

    /// <summary>
    /// Runs the tool with files limited to <paramref name="blocks"/> blocks of the shell's <c>ulimit -f</c> (512 or 1024
    /// bytes), which makes a write past the limit fail as on a full disk: SIGXFSZ is ignored so that the write fails
    /// with EFBIG instead of killing the process, and the runtime's W^X double mapping, which needs larger files of its
    /// own, is off.
    /// </summary>
    private (int ExitCode, string Output, string Error) RunWithFileSizeLimit(int blocks, params string[] arguments)
    {
        var start = new System.Diagnostics.ProcessStartInfo("/bin/sh")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = _folder,
        };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add($"trap '' XFSZ; ulimit -f {blocks}; exec dotnet \"$0\" \"$@\"");
        start.ArgumentList.Add(CliProcess.ToolPath);
        foreach (string argument in arguments)
            start.ArgumentList.Add(argument);
        start.Environment["DOTNET_EnableWriteXorExecute"] = "0";
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        using var process = System.Diagnostics.Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(Timeout))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"mlnetext did not finish within {Timeout}.");
        }
        return (process.ExitCode, output.Result, error.Result);
    }

    /// <summary>
    /// The check after every run: no temporary file in the folder, and <paramref name="path"/> either the previous bytes
    /// or a complete new output by <paramref name="isComplete"/> (which may throw to say why not).
    /// </summary>
    private Outcome Check(string path, Func<string, bool> isComplete)
    {
        TemporaryFiles().Should().BeEmpty("no save may leave its temporary file behind");
        File.Exists(path).Should().BeTrue("the output is never deleted");
        if (File.ReadAllBytes(path).AsSpan().SequenceEqual(Previous))
            return Outcome.Previous;
        isComplete(path).Should().BeTrue($"{path} is neither the previous file nor a complete output");
        return Outcome.Complete;
    }

    private IEnumerable<string> TemporaryFiles() =>
        Directory.GetFiles(_folder).Where(f => f.EndsWith(".tmp", StringComparison.Ordinal)).Select(Path.GetFileName)!;

    /// <summary>Whether plain ML.NET loads the file as a model with an input schema (throws with ML.NET's reason otherwise).</summary>
    private static bool IsModel(string path)
    {
        var model = new MLContext().Model.Load(path, out var inputSchema);
        return model is not null && inputSchema is not null;
    }

    /// <summary>Whether the file is a complete text vector file: every line a word and 8 numbers, and (word2vec) a header "V 8" counting them.</summary>
    private static Func<string, bool> IsVectors(bool header) => path =>
    {
        var lines = File.ReadAllLines(path);
        var records = header ? lines.Skip(1).ToArray() : lines;
        if (header && lines[0] != $"{records.Length} 8")
            return false;
        return records.Length > 0 && records.All(line => line.Split(' ') is { Length: 9 } fields
            && fields.Skip(1).All(f => float.TryParse(f, NumberStyles.Float, CultureInfo.InvariantCulture, out _)));
    };

    private string WritePrevious(string name)
    {
        string path = Path.Combine(_folder, name);
        File.WriteAllBytes(path, Previous);
        return path;
    }

    private string Write(string name, IEnumerable<string> lines)
    {
        string path = Path.Combine(_folder, name);
        File.WriteAllLines(path, lines);
        return path;
    }

    /// <summary>XOR-like points in [-1, 1]², label = (x·y &gt; 0).</summary>
    private string WriteXor(string name, int rows, bool withLabel = true)
    {
        var random = new Random(7);
        var lines = new List<string>(rows + 1) { withLabel ? "x,y,label" : "x,y" };
        for (int i = 0; i < rows; i++)
        {
            double x = random.NextDouble() * 2 - 1, y = random.NextDouble() * 2 - 1;
            lines.Add(string.Create(CultureInfo.InvariantCulture, $"{x:F4},{y:F4}") + (withLabel ? (x * y > 0 ? ",true" : ",false") : ""));
        }
        return Write(name, lines);
    }

    /// <summary>Short reviews labelled yes/no; <paramref name="positives"/> fixes how many are "yes" (the first ones), otherwise about half.</summary>
    private string WriteReviews(string name, int rows, int? positives = null)
    {
        var random = new Random(3);
        string[] good = ["good", "great", "fine"], bad = ["bad", "awful", "poor"];
        var lines = new List<string> { "text\tlabel" };
        for (int i = 0; i < rows; i++)
        {
            bool positive = positives is { } count ? i < count : random.Next(2) == 0;
            lines.Add($"the food was {(positive ? good : bad)[random.Next(3)]}\t{(positive ? "yes" : "no")}");
        }
        return Write(name, lines);
    }

    private string WriteCorpus()
    {
        var random = new Random(3);
        return Write("corpus.txt", Enumerable.Range(0, 300).Select(_ => string.Join(' ', Enumerable.Range(0, random.Next(3, 12)).Select(_ => $"w{random.Next(30)}"))));
    }

    /// <summary>Training that runs until Ctrl+C.</summary>
    private static string[] LongTraining(string data, string model) =>
        ["train", "--task", "binary", "--dataset", data, "--label-col", "label", "--epochs", "100000", "--patience", "0", "--batch-size", "8",
            "--output", model, "--no-progress"];

    private static string[] ShortTraining(string data, string model) =>
        ["train", "--task", "binary", "--dataset", data, "--label-col", "label", "--epochs", "2", "--output", model, "--no-progress"];

    private string TrainQuickModel()
    {
        string model = Path.Combine(_folder, "quick.zip");
        var run = CliProcess.Run(_folder, ShortTraining(WriteXor("train.csv", 200), model));
        run.ExitCode.Should().Be(0, run.Error);
        return model;
    }
}
