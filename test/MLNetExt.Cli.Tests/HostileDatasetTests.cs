using System.Globalization;
using System.Text;

namespace MLNetExt.Cli.Tests;

/// <summary>
/// The findings of issue 15 about datasets, each as the CLI shows it: a hostile or broken CSV/TSV file ends in one error
/// line that names the file (and the line and column where there is one), and memory stays bounded where it used to
/// grow with the input (a 30,000-class evaluation, a 50,000-token row).
/// </summary>
public sealed class HostileDatasetTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("mlnetext-hostile-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private string Write(string name, string text) => Write(name, Encoding.UTF8.GetBytes(text));

    private string Write(string name, byte[] bytes)
    {
        string path = Path.Combine(_folder, name);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    private static void ShouldBeOneErrorLine((int ExitCode, string Output, string Error) run, string expected)
    {
        run.ExitCode.Should().Be(1, run.Output + run.Error);
        run.Error.TrimEnd().Split('\n').Should().ContainSingle().Which.Should().StartWith("mlnetext: error: ").And.Contain(expected);
        run.Error.Should().NotContain("   at ");
    }

    public static TheoryData<string, string> BrokenFiles => new()
    {
        { "dev-zero", "Dataset file '/dev/zero', line 1, byte 1: a NUL byte" },
        { "10MB-line", "long.csv', line 2: the line is longer than 1,048,576 bytes" },
        { "directory", "is a directory; give a CSV or TSV file" },
        { "empty", "empty.csv' is empty" },
        { "latin1", "latin1.csv', line 3: byte 0xE9 at byte 8 of the line is not UTF-8 text" },
        { "duplicate-header", "dup.csv', line 1: the header names column 'x' more than once (fields 1, 3)" },
        { "too-few-fields", "few.csv', line 3: 2 field(s) where the header names 3 (x, y, label)" },
        { "too-many-fields", "many.csv', line 3: 4 field(s) where the header names 3 (x, y, label)" },
        { "quote-spanning-lines", "quote.csv', line 3: field 1 opens a quote that does not close on this line" },
        { "infinite-value", "inf.csv', line 3, column 'y': '1e39' is not a finite number" },
    };

    /// <summary>Issue 15: /dev/zero ran the process out of memory; the other broken files were read silently wrong or named no file.</summary>
    [Theory]
    [MemberData(nameof(BrokenFiles))]
    public void Train_refuses_a_broken_dataset_with_one_line_naming_file_and_line(string problem, string expected)
    {
        string dataset = problem switch
        {
            "dev-zero" => "/dev/zero",
            "10MB-line" => Write("long.csv", "x,y,label\n" + new string('1', 10_000_000) + "\n"),
            "directory" => Directory.CreateDirectory(Path.Combine(_folder, "data.csv")).FullName,
            "empty" => Write("empty.csv", ""),
            "latin1" => Write("latin1.csv", [.. Encoding.ASCII.GetBytes("x,y,label\n1,2,true\n3,4,caf"), 0xE9, (byte)'\n']),
            "duplicate-header" => Write("dup.csv", "x,y,x\n1,2,true\n"),
            "too-few-fields" => Write("few.csv", "x,y,label\n1,2,true\n3,false\n"),
            "too-many-fields" => Write("many.csv", "x,y,label\n1,2,true\n3,4,5,false\n"),
            "quote-spanning-lines" => Write("quote.csv", "x,y,label\n1,2,true\n\"3\n\",4,false\n"),
            _ => Write("inf.csv", "x,y,label\n1,2,true\n3,1e39,false\n"),
        };

        var run = CliProcess.Run(_folder, "train", "--task", "binary", "--dataset", dataset, "--label-col", "label", "--epochs", "1", "-o", Path.Combine(_folder, "m.zip"));

        ShouldBeOneErrorLine(run, expected);
        File.Exists(Path.Combine(_folder, "m.zip")).Should().BeFalse();
    }

    /// <summary>
    /// Issue 15: "The value of score column 'Score' at row 4 is NaN", for a NaN feature that neither evaluate nor predict
    /// named; both now refuse it at loading, by file, line and column.
    /// </summary>
    [Fact]
    public void Evaluate_and_predict_name_a_NaN_feature_by_file_line_and_column()
    {
        var lines = new StringBuilder("x,y,label\n");
        var random = new Random(5);
        for (int i = 0; i < 80; i++)
        {
            double x = random.NextDouble() * 2 - 1, y = random.NextDouble() * 2 - 1;
            lines.Append(string.Create(CultureInfo.InvariantCulture, $"{x:F3},{y:F3},{(x * y > 0 ? "true" : "false")}\n"));
        }
        string data = Write("train.csv", lines.ToString());
        string model = Path.Combine(_folder, "model.zip");
        CliProcess.Run(_folder, "train", "--task", "binary", "--dataset", data, "--label-col", "label", "--epochs", "2", "-o", model, "--no-progress")
            .ExitCode.Should().Be(0);
        string withNaN = Write("nan.csv", "x,y,label\n0.5,0.5,true\n-0.5,0.5,false\n0.25,-0.5,false\nNaN,0.75,true\n");

        var evaluate = CliProcess.Run(_folder, "evaluate", "--model", model, "--dataset", withNaN);
        var predict = CliProcess.Run(_folder, "predict", "--model", model, "--dataset", withNaN);

        ShouldBeOneErrorLine(evaluate, "nan.csv', line 5, column 'x': 'NaN' is not a finite number.");
        ShouldBeOneErrorLine(predict, "nan.csv', line 5, column 'x': 'NaN' is not a finite number.");
    }

    /// <summary>
    /// Issue 15: evaluate on a 30,000-class model built ML.NET's 30,000² confusion matrix (5 GB). The metrics now come in
    /// memory that grows with the classes, not their square: the child's GC heap is capped at 1 GiB and its peak RSS
    /// stays under 700 MB.
    /// </summary>
    [Fact]
    public void Evaluate_on_a_30000_class_model_runs_in_bounded_memory()
    {
        const int Classes = 30_000;
        var all = new StringBuilder("x,y,label\n");
        var some = new StringBuilder("x,y,label\n");
        for (int i = 0; i < Classes; i++)
        {
            string line = string.Create(CultureInfo.InvariantCulture, $"{i / (double)Classes:F6},{(i * 7919 % 1000) / 1000.0:F3},c{i}\n");
            all.Append(line);
            if (i % 10 == 0)
                some.Append(line);
        }
        string data = Write("classes.csv", all.ToString());
        string test = Write("classes-test.csv", some.ToString());
        string model = Path.Combine(_folder, "classes.zip");
        const long HeapLimit = 1L << 30;

        // Most rows go to the test split, so that training is short; its test metrics take the same bounded path.
        var train = PeakMemory.Run(_folder, HeapLimit, "train", "--task", "multiclass", "--dataset", data, "--label-col", "label", "--epochs", "1",
            "--hidden", "2", "--batch-size", "256", "--validation-fraction", "0", "--test-fraction", "0.9", "-o", model, "--no-progress");
        var evaluate = PeakMemory.Run(_folder, HeapLimit, "evaluate", "--model", model, "--dataset", test);

        train.ExitCode.Should().Be(0, train.Error);
        train.Output.Should().Contain("MicroAccuracy").And.Contain("LogLossReduction");
        evaluate.ExitCode.Should().Be(0, evaluate.Error);
        evaluate.Output.Should().Contain("MicroAccuracy").And.Contain("MacroAccuracy").And.Contain("LogLoss");
        evaluate.PeakBytes.Should().BeInRange(1, 700L << 20, "the metrics hold counts per class, not a class × class matrix (8 · 30,000² bytes = 7.2 GB)");
    }

    /// <summary>
    /// Issue 15: one 50,000-token row in a TSV took 1.5 GB to train on, every row being padded to the longest. It is now
    /// an error naming the file, the line and --max-tokens; with --truncate the row is cut to its first words and the
    /// model trains in bounded memory.
    /// </summary>
    [Fact]
    public void A_50000_token_row_is_refused_by_line_or_truncated_by_sequence()
    {
        var lines = new StringBuilder("text\tlabel\n");
        var random = new Random(9);
        for (int i = 0; i < 60; i++)
            lines.Append(random.Next(2) == 0 ? "the food was good\tyes\n" : "the food was bad\tno\n");
        lines.Append(string.Join(' ', Enumerable.Range(0, 50_000).Select(i => i % 2 == 0 ? "good" : "food"))).Append("\tyes\n");
        string data = Write("reviews.tsv", lines.ToString());
        string model = Path.Combine(_folder, "seq.zip");
        string[] arguments = ["sequence", "--task", "classify", "--dataset", data, "--text-col", "text", "--label-col", "label",
            "--epochs", "1", "--hidden", "4", "--output", model, "--no-progress"];

        var refused = CliProcess.Run(_folder, arguments);
        var truncated = PeakMemory.Run(_folder, 1L << 30, [.. arguments, "--max-tokens", "200", "--truncate"]);

        ShouldBeOneErrorLine(refused, "reviews.tsv', line 62, column 'text': 50,000 words, more than --max-tokens 1,000");
        refused.Error.Should().Contain("--truncate");
        truncated.ExitCode.Should().Be(0, truncated.Error);
        truncated.Output.Should().Contain($"Model saved to {model}");
        truncated.PeakBytes.Should().BeInRange(1, 700L << 20);
    }

    /// <summary>A window as wide as the series cut into every window would hold the series times itself: refused, naming the file and the options.</summary>
    [Fact]
    public void Forecast_windows_that_would_outgrow_the_cap_are_refused()
    {
        var lines = new StringBuilder("value\n");
        for (int t = 0; t < 40_000; t++)
            lines.Append(CultureInfo.InvariantCulture, $"{Math.Sin(t / 10.0):F3}\n");
        string data = Write("series.csv", lines.ToString());

        var run = CliProcess.Run(_folder, "sequence", "--task", "forecast", "--dataset", data, "--series-col", "value", "--window", "10000",
            "--epochs", "1", "--output", Path.Combine(_folder, "f.zip"));

        ShouldBeOneErrorLine(run, "series.csv': 40,000 values cut into 30,000 windows of 10,000 + 1 make 300,030,000 values");
        run.Error.Should().Contain("the series is too long for --window and --horizon");
    }
}
