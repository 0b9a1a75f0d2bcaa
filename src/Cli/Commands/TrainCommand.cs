using System.CommandLine;
using MLNetExt.Cli.Data;
using MLNetExt.Cli.Output;
using Microsoft.ML;
using Microsoft.ML.Data;
using MLNetExt.Estimators.DeepLearning;
using MLNetExt.Estimators.Mlp;
using MLNetExt.Trainers.DeepLearning;
using MLNetExt.Trainers.Mlp;
using MLNetExt.Transforms.Mlp;
using Spectre.Console;

namespace MLNetExt.Cli.Commands;

/// <summary>
/// <c>mlnetext train</c>: infers the columns of a CSV/TSV file, trains an MLP for the task on a train split, prints
/// the test metrics and saves the model. Ctrl+C stops training at the next batch and saves the best model so far.
/// The model is saved before the test metrics are computed: when they fail, the model is kept, the error line says why
/// and the exit code is <see cref="AfterTraining.StepFailedExitCode"/>.
/// </summary>
internal static class TrainCommand
{
    /// <summary>The exit code of a run stopped by Ctrl+C (128 + SIGINT), after the best model so far was saved.</summary>
    public const int CanceledExitCode = Interrupts.ExitCode;

    public static Command Create(CliEnvironment environment)
    {
        var dataset = new DatasetOptions();
        var task = new Option<string>("--task", "-t")
        {
            Description = "What to predict: binary, multiclass or regression.",
            Required = true,
        };
        task.AcceptOnlyFromAmong("binary", "multiclass", "regression");
        var label = new Option<string>("--label-col", "-l") { Description = "The label column's name (or colN without a header).", Required = true };
        var ignore = new Option<string?>("--ignore-cols") { Description = "Columns to leave out, comma-separated." };
        var epochs = new Option<int>("--epochs") { Description = "The most passes over the training rows.", DefaultValueFactory = _ => 100 };
        var hidden = new Option<string>("--hidden") { Description = "Hidden layer widths, comma-separated.", DefaultValueFactory = _ => "64" };
        var learningRate = new Option<double>("--learning-rate") { Description = "The initial learning rate (Adam).", DefaultValueFactory = _ => 0.01 };
        var batchSize = new Option<int>("--batch-size") { Description = "Rows per gradient step.", DefaultValueFactory = _ => 32 };
        var validation = new Option<double>("--validation-fraction") { Description = "Fraction of the training rows held out for validation and early stopping, in [0, 1).", DefaultValueFactory = _ => 0.1 };
        var patience = new Option<int>("--patience") { Description = "Epochs without validation improvement before stopping early (0: never).", DefaultValueFactory = _ => 10 };
        var testFraction = new Option<double>("--test-fraction") { Description = "Fraction of the rows kept aside for the test metrics, in (0, 1).", DefaultValueFactory = _ => 0.2 };
        var seed = new Option<int>("--seed") { Description = "Seed of the split, initialization and shuffling.", DefaultValueFactory = _ => 1 };
        var output = new Option<FileInfo>("--output", "-o") { Description = "Where to save the model (.zip).", Required = true };
        var noProgress = new Option<bool>("--no-progress") { Description = "Print one line per epoch instead of a progress bar." };

        var command = new Command("train", "Train an MLP on a CSV/TSV file, print test metrics and save the model.");
        dataset.AddTo(command);
        foreach (var option in new Option[] { task, label, ignore, epochs, hidden, learningRate, batchSize, validation, patience, testFraction, seed, output, noProgress })
            command.Options.Add(option);
        command.SetAction(parse => Run(environment, new Settings(
            dataset.ReadHeader(parse),
            parse.GetValue(task) switch { "binary" => MlpTask.BinaryClassification, "multiclass" => MlpTask.MulticlassClassification, _ => MlpTask.Regression },
            parse.GetValue(label)!,
            ParseList(parse.GetValue(ignore)),
            parse.GetValue(epochs),
            ParseWidths(parse.GetValue(hidden)),
            parse.GetValue(learningRate),
            parse.GetValue(batchSize),
            parse.GetValue(validation),
            parse.GetValue(patience),
            parse.GetValue(testFraction),
            parse.GetValue(seed),
            parse.GetValue(output)!.FullName,
            !parse.GetValue(noProgress) && environment.IsInteractive)));
        return command;
    }

    private sealed record Settings(DelimitedHeader Header, MlpTask Task, string Label, string[] Ignored, int Epochs, int[] Hidden,
        double LearningRate, int BatchSize, double ValidationFraction, int Patience, double TestFraction, int Seed, string Output, bool Interactive);

    private static int Run(CliEnvironment environment, Settings settings)
    {
        if (!(settings.TestFraction > 0 && settings.TestFraction < 1))
            throw new CliException($"--test-fraction {settings.TestFraction} must lie strictly between 0 and 1.");
        var console = environment.Console;
        var ml = new MLContext(settings.Seed);
        // Checked before training, so that a mistyped path does not cost the trained model.
        ModelParts.CheckFolder(settings.Output, "--output");
        var header = settings.Header;
        int labelIndex = header.IndexOf(settings.Label, "--label-col");
        foreach (string ignored in settings.Ignored)
            header.IndexOf(ignored, "--ignore-cols");
        var (columns, features, skipped) = Layout(header, settings, labelIndex);
        var data = DatasetLoader.Load(ml, header, columns);
        console.WriteLine($"Dataset: {header.Path}; label '{settings.Label}' ({TaskName(settings.Task)}); {features.Length} numeric feature column(s)"
            + (skipped.Count > 0 ? $"; skipped non-numeric: {string.Join(", ", skipped)}" : ""));

        var split = ml.Data.TrainTestSplit(data, settings.TestFraction, seed: settings.Seed);
        ITransformer? labelToKey = settings.Task == MlpTask.MulticlassClassification
            ? ml.Transforms.Conversion.MapValueToKey(settings.Label, settings.Label).Fit(data)
            : null;
        var train = labelToKey?.Transform(split.TrainSet) ?? split.TrainSet;
        var featurizer = ml.Transforms.Concatenate("Features", features).Fit(train);
        var featurized = featurizer.Transform(train);
        CreateTrainer(ml, settings, environment.Cancellation, progress: null);

        bool canceled = false;
        MlpPredictionTransformer predictor;
        try
        {
            predictor = TrainingDisplay.Run(console, settings.Interactive, 
                progress => CreateTrainer(ml, settings, environment.Cancellation, progress).Fit(featurized));
        }
        catch (TrainingCanceledException stopped)
        {
            canceled = true;
            predictor = (MlpPredictionTransformer)stopped.PartialModel;
            console.WriteLine(stopped.Message);
        }
        var summary = predictor.TrainingResult!;
        if (!canceled)
            console.WriteLine($"Training: {summary.EpochsCompleted} epoch(s), {summary.StopReason}; best epoch {summary.BestEpoch}; {summary.TrainingRowCount} training and {summary.ValidationRowCount} validation rows; {summary.Elapsed.TotalSeconds:F1} s.");

        var model = labelToKey is null
            ? new TransformerChain<ITransformer>(featurizer, predictor)
            : new TransformerChain<ITransformer>([labelToKey, featurizer, predictor], [TransformerScope.TrainTest, TransformerScope.Everything, TransformerScope.Everything]);
        // Saved before the test metrics, so that a failure there (a NaN score, a test row of an infinite value) never costs the trained model.
        ModelParts.Save(environment, ml, model, data.Schema, settings.Output);
        console.WriteLine(canceled
            ? $"Training was canceled; the best model so far was saved to {settings.Output}."
            : $"Model saved to {settings.Output}.");
        bool metricsComputed = AfterTraining.Try("the test metrics", settings.Output, () =>
        {
            var test = split.TestSet;
            if (!HasRows(test))
                console.WriteLine("The test split is empty (too few rows), so no metrics are printed.");
            else if (settings.Task == MlpTask.BinaryClassification && AfterTraining.OneClassNote(test, settings.Label, "test") is { } note)
                console.WriteLine(note);
            else
            {
                // Step by step, as evaluate scores: TransformerChain.Transform over these steps loses the label's key
                // (the text label comes out visible again), and the multiclass metrics need the key.
                var scored = ModelParts.Apply(ModelParts.Steps(model, TransformerScope.Testing), test);
                MetricsTable.Print(console, ml, scored, ModelOutput.Of(scored.Schema, settings.Output), settings.Label, "Test metrics");
            }
        });
        if (canceled)
            return CanceledExitCode;
        return metricsComputed ? 0 : AfterTraining.StepFailedExitCode;
    }

    /// <summary>The trainer for the task; option errors are reported with the CLI's option names.</summary>
    private static MlpTrainerBase CreateTrainer(MLContext ml, Settings settings, CancellationToken cancellation, IProgress<TrainingProgress>? progress)
    {
        void Fill(MlpTrainerOptions options)
        {
            options.LabelColumnName = settings.Label;
            options.FeatureColumnName = "Features";
            options.HiddenLayers = settings.Hidden;
            options.NumberOfEpochs = settings.Epochs;
            options.LearningRate = settings.LearningRate;
            options.BatchSize = settings.BatchSize;
            options.ValidationFraction = settings.ValidationFraction;
            options.EarlyStoppingPatience = settings.Patience;
            options.Seed = settings.Seed;
            options.Progress = progress;
            options.CancellationToken = cancellation;
        }
        try
        {
            switch (settings.Task)
            {
                case MlpTask.BinaryClassification:
                    var binary = new MlpBinaryTrainer.Options();
                    Fill(binary);
                    return ml.BinaryClassification.Trainers.Mlp(binary);
                case MlpTask.MulticlassClassification:
                    var multiclass = new MlpMulticlassTrainer.Options();
                    Fill(multiclass);
                    return ml.MulticlassClassification.Trainers.Mlp(multiclass);
                default:
                    var regression = new MlpRegressionTrainer.Options();
                    Fill(regression);
                    return ml.Regression.Trainers.Mlp(regression);
            }
        }
        catch (ArgumentException e)
        {
            throw TrainerOptionErrors.Rephrase(e);
        }
    }

    /// <summary>The loader columns: numeric columns as Single (features), the label as the task needs it; other text columns are skipped.</summary>
    private static (List<TextLoader.Column> Columns, string[] Features, List<string> Skipped) Layout(DelimitedHeader header, Settings settings, int labelIndex)
    {
        var labelKind = settings.Task switch
        {
            MlpTask.BinaryClassification when header.IsBoolean[labelIndex] => DataKind.Boolean,
            MlpTask.BinaryClassification => throw new CliException(
                $"Label column '{settings.Label}' must hold two values such as true/false, yes/no or 1/0 for a binary task; use --task multiclass for other labels."),
            MlpTask.MulticlassClassification => DataKind.String,
            _ when header.IsNumeric[labelIndex] => DataKind.Single,
            _ => throw new CliException($"Label column '{settings.Label}' must be numeric for a regression task."),
        };
        return header.TrainingColumns(labelIndex, labelKind, settings.Ignored, "MLP");
    }

    private static bool HasRows(IDataView data)
    {
        using var cursor = data.GetRowCursor([]);
        return cursor.MoveNext();
    }

    private static string TaskName(MlpTask task) => task switch
    {
        MlpTask.BinaryClassification => "binary classification",
        MlpTask.MulticlassClassification => "multiclass classification",
        _ => "regression",
    };

    private static string[] ParseList(string? text) =>
        string.IsNullOrWhiteSpace(text) ? [] : [.. text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)];

    private static int[] ParseWidths(string? text)
    {
        var parts = ParseList(text);
        var widths = new int[parts.Length];
        for (int i = 0; i < parts.Length; i++)
        {
            if (!int.TryParse(parts[i], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out widths[i]) || widths[i] < 1)
                throw new CliException($"--hidden '{text}' must be positive whole numbers separated by commas, e.g. 64,32.");
        }
        return widths;
    }
}
