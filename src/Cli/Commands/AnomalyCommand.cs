using System.CommandLine;
using System.Globalization;
using MLNetExt.Cli.Data;
using MLNetExt.Cli.Output;
using Microsoft.ML;
using Microsoft.ML.Data;
using MLNetExt.Estimators.Autoencoders;
using MLNetExt.Estimators.DeepLearning;
using MLNetExt.Trainers.Autoencoders;
using MLNetExt.Trainers.DeepLearning;
using MLNetExt.Transforms.Autoencoders;
using Spectre.Console;

namespace MLNetExt.Cli.Commands;

/// <summary>
/// <c>mlnetext anomaly</c>: trains an autoencoder anomaly detector on the numeric columns of a CSV/TSV file, without
/// labels, prints its threshold and how many rows it flags, saves the model and, with <c>--scores</c>, every row's
/// score. An optional label column (two values; 1, true or yes marks an anomaly) is left out of the features and only
/// measures the detector: ML.NET's AreaUnderRocCurve and DetectionRateAtFalsePositiveCount on the training rows, or on
/// a held-out <c>--test-fraction</c>. Ctrl+C stops training at the next batch and saves the best model so far.
/// </summary>
internal static class AnomalyCommand
{
    /// <summary>The columns the detector writes; a label of one of these names would be hidden by them.</summary>
    private static readonly string[] OutputColumns = ["Features", "ReconstructionErrors", "PredictedLabel", "Score"];

    public static Command Create(CliEnvironment environment)
    {
        var dataset = new DatasetOptions();
        var label = new Option<string?>("--label-col", "-l")
        {
            Description = "An optional label column (1/0, true/false or yes/no; 1, true, yes: an anomaly). It is not a feature and is not trained on: "
                + "it only gives the metrics and is copied into the scores file.",
        };
        var ignore = new Option<string?>("--ignore-cols") { Description = "Columns to leave out, comma-separated." };
        var kind = new Option<string>("--kind")
        {
            Description = "The autoencoder: dense, denoising (masking noise), sparse (KL penalty on the code), contractive, variational, "
                + "or convolutional (the features are one image; needs --image-shape).",
            DefaultValueFactory = _ => "dense",
        };
        kind.AcceptOnlyFromAmong("dense", "denoising", "sparse", "contractive", "variational", "convolutional");
        var imageShape = new Option<string?>("--image-shape")
        {
            Description = "For --kind convolutional: channels,height,width of the image the feature columns hold, in file order (plane by plane, row by row).",
        };
        var hidden = new Option<string>("--hidden") { Description = "The encoder's hidden layer widths, comma-separated (the decoder mirrors them; not used by convolutional).", DefaultValueFactory = _ => "64,32" };
        var codeSize = new Option<int?>("--code-size")
        {
            Description = "The width of the code (the bottleneck); default: half the number of features, at most 16, since a code as wide as the features could copy them. Not used by convolutional.",
        };
        var contamination = new Option<double>("--contamination")
        {
            Description = "The expected share of anomalies, in (0, 0.5]: the threshold is the score that this share of the training rows exceeds.",
            DefaultValueFactory = _ => 0.1,
        };
        var epochs = new Option<int>("--epochs") { Description = "The most passes over the training rows.", DefaultValueFactory = _ => 50 };
        var learningRate = new Option<double>("--learning-rate") { Description = "The initial learning rate (Adam).", DefaultValueFactory = _ => 0.001 };
        var batchSize = new Option<int>("--batch-size") { Description = "Rows per gradient step.", DefaultValueFactory = _ => 32 };
        var validation = new Option<double>("--validation-fraction") { Description = "Fraction of the training rows held out for validation and early stopping, in [0, 1).", DefaultValueFactory = _ => 0.1 };
        var patience = new Option<int>("--patience") { Description = "Epochs without validation improvement before stopping early (0: never).", DefaultValueFactory = _ => 5 };
        var testFraction = new Option<double>("--test-fraction")
        {
            Description = "With --label-col: fraction of the rows kept out of training for the metrics, in [0, 1); 0 trains on every row and measures on them.",
            DefaultValueFactory = _ => 0,
        };
        var seed = new Option<int>("--seed") { Description = "Seed of the split, initialization and shuffling.", DefaultValueFactory = _ => 1 };
        var output = new Option<FileInfo>("--output", "-o") { Description = "Where to save the model (.zip).", Required = true };
        var scores = new Option<FileInfo?>("--scores") { Description = "Where to write every row's score (CSV: Row, Score, PredictedLabel and the label when given)." };
        var noProgress = new Option<bool>("--no-progress") { Description = "Print one line per epoch instead of a progress bar." };

        var command = new Command("anomaly",
            "Train an autoencoder anomaly detector on the numeric columns of a CSV/TSV file, print its threshold, the rows it flags and, "
            + "given a label, ROC AUC; save the model and, with --scores, every row's score.");
        dataset.AddTo(command);
        foreach (var option in new Option[] { label, ignore, kind, imageShape, hidden, codeSize, contamination, epochs, learningRate, batchSize, validation, patience, testFraction, seed, output, scores, noProgress })
            command.Options.Add(option);
        command.SetAction(parse => Run(environment, new Settings(
            dataset.ReadHeader(parse),
            parse.GetValue(label),
            ParseList(parse.GetValue(ignore)),
            Enum.Parse<AutoencoderKind>(parse.GetValue(kind)!, ignoreCase: true),
            ParseImageShape(parse.GetValue(imageShape)),
            ParseWidths(parse.GetValue(hidden)),
            parse.GetValue(codeSize),
            parse.GetValue(contamination),
            parse.GetValue(epochs),
            parse.GetValue(learningRate),
            parse.GetValue(batchSize),
            parse.GetValue(validation),
            parse.GetValue(patience),
            parse.GetValue(testFraction),
            parse.GetValue(seed),
            parse.GetValue(output)!.FullName,
            parse.GetValue(scores)?.FullName,
            !parse.GetValue(noProgress) && environment.IsInteractive)));
        return command;
    }

    private sealed record Settings(DelimitedHeader Header, string? Label, string[] Ignored, AutoencoderKind Kind, int[]? ImageShape, int[] Hidden,
        int? CodeSize, double Contamination, int Epochs, double LearningRate, int BatchSize, double ValidationFraction, int Patience,
        double TestFraction, int Seed, string Output, string? Scores, bool Interactive);

    private static int Run(CliEnvironment environment, Settings settings)
    {
        if (!(settings.TestFraction >= 0 && settings.TestFraction < 1))
            throw new CliException($"--test-fraction {settings.TestFraction} must lie in [0, 1).");
        if (settings.TestFraction > 0 && settings.Label is null)
            throw new CliException("--test-fraction needs --label-col: the held-out rows serve only the metrics, which need the label.");
        if (settings.ImageShape is not null && settings.Kind != AutoencoderKind.Convolutional)
            throw new CliException("--image-shape applies to --kind convolutional only.");
        // Checked before training, so that a mistyped path does not cost the trained model.
        ModelParts.CheckFolder(settings.Output, "--output");
        if (settings.Scores is not null)
            ModelParts.CheckFolder(settings.Scores, "--scores");
        var console = environment.Console;
        var ml = new MLContext(settings.Seed);
        var header = settings.Header;
        int labelIndex = settings.Label is { } labelName ? header.IndexOf(labelName, "--label-col") : -1;
        if (labelIndex >= 0 && OutputColumns.Contains(settings.Label))
            throw new CliException($"--label-col '{settings.Label}' has the name of a column the detector writes ({string.Join(", ", OutputColumns)}); rename it in the file.");
        foreach (string ignored in settings.Ignored)
            header.IndexOf(ignored, "--ignore-cols");
        var (columns, features, skipped) = Layout(header, settings, labelIndex);
        if (settings.Kind == AutoencoderKind.Convolutional)
            CheckImageShape(settings.ImageShape, features.Length);
        int codeSize = settings.CodeSize ?? Math.Clamp(features.Length / 2, 1, 16);
        // Checked before the file is read in full, so that a bad option costs no wait.
        CreateTrainer(ml, settings, codeSize, environment.Cancellation, progress: null);
        // The autoencoder takes no missing features; checking the text names the line, which the trainer's error cannot.
        var data = DatasetLoader.Load(ml, header, columns, finiteNumbers: true);
        console.WriteLine($"Dataset: {header.Path}; {features.Length} numeric feature column(s)"
            + (settings.Label is null ? "" : $"; label '{settings.Label}' (metrics only)")
            + (skipped.Count > 0 ? $"; skipped non-numeric: {string.Join(", ", skipped)}" : "")
            + $"; {settings.Kind} autoencoder" + (settings.Kind == AutoencoderKind.Convolutional ? "." : $", code size {codeSize}."));

        IDataView train = data, test = data;
        if (settings.TestFraction > 0)
        {
            var split = ml.Data.TrainTestSplit(data, settings.TestFraction, seed: settings.Seed);
            (train, test) = (split.TrainSet, split.TestSet);
        }
        var featurizer = ml.Transforms.Concatenate("Features", features).Fit(data);
        var featurized = featurizer.Transform(train);

        bool canceled = false;
        AutoencoderAnomalyTransformer detector;
        try
        {
            detector = TrainingDisplay.Run(console, settings.Interactive,
                progress => CreateTrainer(ml, settings, codeSize, environment.Cancellation, progress).Fit(featurized));
        }
        catch (TrainingCanceledException stopped)
        {
            canceled = true;
            detector = (AutoencoderAnomalyTransformer)stopped.PartialModel;
            console.WriteLine(stopped.Message);
        }
        catch (ArgumentOutOfRangeException e) when (e.ParamName == "input")
        {
            // The network the settings describe does not fit the data (e.g. an image too small for its pooling stages).
            throw new CliException(e.Message.Split(" (Parameter", 2)[0]);
        }
        var summary = detector.TrainingResult!;
        if (!canceled)
            console.WriteLine($"Training: {summary.EpochsCompleted} epoch(s), {summary.StopReason}; best epoch {summary.BestEpoch}; {summary.TrainingRowCount} training and {summary.ValidationRowCount} validation rows; {summary.Elapsed.TotalSeconds:F1} s.");

        var model = new TransformerChain<ITransformer>(featurizer, detector);
        // Saved before the metrics and the scores, so that a failure in either never costs the trained model.
        ModelParts.Save(environment, ml, model, data.Schema, settings.Output);
        console.WriteLine(canceled
            ? $"Training was canceled; the best model so far was saved to {settings.Output}."
            : $"Model saved to {settings.Output}.");
        bool succeeded = settings.Label is not { } label
            || AfterTraining.Try($"the {(settings.TestFraction > 0 ? "test" : "training")} metrics", settings.Output,
                () => PrintMetrics(environment, ml, model.Transform(test), label, heldOut: settings.TestFraction > 0, settings.Output));
        succeeded &= AfterTraining.Try(settings.Scores is null ? "scoring the rows" : "writing the scores", settings.Output, () =>
        {
            // The scores cover every row of the file, in file order, so that they line up with it.
            var scored = model.Transform(data);
            var (rows, flagged) = settings.Scores is { } scoresPath
                ? WriteScoresAtomically(environment, scored, settings.Label, scoresPath)
                : WriteScores(scored, settings.Label, TextWriter.Null);
            console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"Threshold {detector.Threshold:G6}: {flagged} of {rows} row(s) flagged as anomalies ({100.0 * flagged / rows:F1}%)."));
            if (settings.Scores is not null)
                console.WriteLine($"Scores written to {settings.Scores}.");
        });
        if (canceled)
            return TrainCommand.CanceledExitCode;
        return succeeded ? 0 : AfterTraining.StepFailedExitCode;
    }

    /// <summary>
    /// ML.NET's anomaly metrics of the scored rows against the label; when those rows hold only one class, ROC AUC is not
    /// defined, so a note takes the table's place rather than an error that would lose the trained model.
    /// </summary>
    private static void PrintMetrics(CliEnvironment environment, MLContext ml, IDataView scored, string label, bool heldOut, string modelPath)
    {
        string rowsName = heldOut ? "test" : "training";
        int anomalies = 0, normals = 0;
        foreach (bool anomaly in scored.GetColumn<bool>(label))
        {
            if (anomaly)
                anomalies++;
            else
                normals++;
        }
        if (anomalies == 0 || normals == 0)
        {
            environment.Console.WriteLine($"The {rowsName} rows hold {(anomalies == 0 ? "no anomalies" : "only anomalies")} by label '{label}', so no metrics are printed.");
            return;
        }
        MetricsTable.Print(environment.Console, ml, scored, ModelOutput.Of(scored.Schema, modelPath), label,
            $"{(heldOut ? "Test" : "Training")} metrics ({anomalies} anomalies, {normals} normal rows)");
    }

    /// <summary>
    /// Writes the scores file through a temporary file renamed over <paramref name="path"/>, so a failure leaves no
    /// half-written file, and a second Ctrl+C waits for it (<see cref="Interrupts.Write"/>).
    /// </summary>
    private static (int Rows, int Flagged) WriteScoresAtomically(CliEnvironment environment, IDataView scored, string? label, string path)
    {
        (int Rows, int Flagged) counts = default;
        environment.WriteFile(path, stream =>
        {
            // Closed before AtomicFile flushes the stream to disk and renames it.
            using var writer = new StreamWriter(stream, leaveOpen: true);
            counts = WriteScores(scored, label, writer);
        });
        return counts;
    }

    /// <summary>Writes "Row,Score,PredictedLabel[,label]" and a line per row (Row counts the data rows from 1); returns the rows and how many were flagged.</summary>
    private static (int Rows, int Flagged) WriteScores(IDataView scored, string? label, TextWriter writer)
    {
        var scoreColumn = scored.Schema[ModelParts.ScoreColumn];
        var predictedColumn = scored.Schema["PredictedLabel"];
        var labelColumn = label is null ? (DataViewSchema.Column?)null : scored.Schema[label];
        using var cursor = scored.GetRowCursor(labelColumn is { } l ? [scoreColumn, predictedColumn, l] : [scoreColumn, predictedColumn]);
        var getScore = cursor.GetGetter<float>(scoreColumn);
        var getPredicted = cursor.GetGetter<bool>(predictedColumn);
        var getLabel = labelColumn is { } column ? cursor.GetGetter<bool>(column) : null;
        writer.WriteLine("Row,Score,PredictedLabel" + (label is null ? "" : "," + PredictionWriter.Csv(label)));
        float score = 0;
        bool predicted = false, actual = false;
        int rows = 0, flagged = 0;
        while (cursor.MoveNext())
        {
            getScore(ref score);
            getPredicted(ref predicted);
            rows++;
            if (predicted)
                flagged++;
            string line = string.Create(CultureInfo.InvariantCulture, $"{rows},{score:R},{(predicted ? "true" : "false")}");
            if (getLabel is not null)
            {
                getLabel(ref actual);
                line += actual ? ",true" : ",false";
            }
            writer.WriteLine(line);
        }
        return (rows, flagged);
    }

    /// <summary>The detector for the settings; option errors are reported with the CLI's option names.</summary>
    private static AutoencoderTrainer CreateTrainer(MLContext ml, Settings settings, int codeSize, CancellationToken cancellation, IProgress<TrainingProgress>? progress)
    {
        var options = new AutoencoderTrainer.Options
        {
            FeatureColumnName = "Features",
            Kind = settings.Kind,
            HiddenLayers = settings.Hidden,
            CodeSize = codeSize,
            ImageShape = settings.ImageShape,
            Contamination = settings.Contamination,
            NumberOfEpochs = settings.Epochs,
            LearningRate = settings.LearningRate,
            BatchSize = settings.BatchSize,
            ValidationFraction = settings.ValidationFraction,
            EarlyStoppingPatience = settings.Patience,
            Seed = settings.Seed,
            Progress = progress,
            CancellationToken = cancellation,
        };
        try
        {
            return ml.AnomalyDetection.Trainers.Autoencoder(options);
        }
        catch (ArgumentException e)
        {
            throw TrainerOptionErrors.Rephrase(e);
        }
    }

    /// <summary>The loader columns: numeric columns as Single features, the label (if any) as Boolean; other text columns are skipped.</summary>
    private static (List<TextLoader.Column> Columns, string[] Features, List<string> Skipped) Layout(DelimitedHeader header, Settings settings, int labelIndex)
    {
        if (labelIndex >= 0 && !header.IsBoolean[labelIndex])
            throw new CliException($"Label column '{settings.Label}' must hold two values such as 1/0, true/false or yes/no (1, true, yes: an anomaly).");
        return header.TrainingColumns(labelIndex, DataKind.Boolean, settings.Ignored, "autoencoder");
    }

    private static void CheckImageShape(int[]? shape, int featureCount)
    {
        if (shape is null)
            throw new CliException("--kind convolutional needs --image-shape channels,height,width: the feature columns, in file order, are the image's values.");
        long size = (long)shape[0] * shape[1] * shape[2];
        if (size != featureCount)
            throw new CliException($"--image-shape {string.Join(',', shape)} holds {size} values, but the file has {featureCount} numeric feature column(s).");
    }

    private static string[] ParseList(string? text) =>
        string.IsNullOrWhiteSpace(text) ? [] : [.. text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)];

    private static int[] ParseWidths(string? text) => ParsePositive(text, "--hidden", "64,32");

    private static int[]? ParseImageShape(string? text)
    {
        if (text is null)
            return null;
        var shape = ParsePositive(text, "--image-shape", "1,28,28");
        return shape.Length == 3 ? shape : throw new CliException($"--image-shape '{text}' must be three numbers, channels,height,width, e.g. 1,28,28.");
    }

    private static int[] ParsePositive(string? text, string option, string example)
    {
        var parts = ParseList(text);
        var values = new int[parts.Length];
        for (int i = 0; i < parts.Length; i++)
        {
            if (!int.TryParse(parts[i], NumberStyles.None, CultureInfo.InvariantCulture, out values[i]) || values[i] < 1)
                throw new CliException($"{option} '{text}' must be positive whole numbers separated by commas, e.g. {example}.");
        }
        return values;
    }
}
