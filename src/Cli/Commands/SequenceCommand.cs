using System.CommandLine;
using MLNetExt.Cli.Data;
using MLNetExt.Cli.Output;
using Microsoft.ML;
using Microsoft.ML.Data;
using MLNetExt.Estimators.DeepLearning;
using MLNetExt.Estimators.Sequence;
using MLNetExt.Trainers.DeepLearning;
using MLNetExt.Trainers.Sequence;
using MLNetExt.Transforms.Sequence;
using Spectre.Console;

namespace MLNetExt.Cli.Commands;

/// <summary>
/// <c>mlnetext sequence</c>: trains an LSTM, GRU or RNN on a CSV/TSV file. <c>--task classify</c> reads a text column
/// (tokenized into words, mapped to keys) and a label (two values: binary, more: multiclass); <c>--task tag</c> reads
/// a text column and a column of space-separated tags, one per word; <c>--task forecast</c> reads a numeric series
/// column in time order and predicts the next <c>--horizon</c> values from the last <c>--window</c>. The last
/// <c>--test-fraction</c> of the rows (in file order for a series, a random split otherwise) gives the test metrics;
/// the model is saved as a zip. Ctrl+C stops training at the next batch and saves the best model so far.
/// </summary>
internal static class SequenceCommand
{
    public static Command Create(CliEnvironment environment)
    {
        var dataset = new DatasetOptions();
        var task = new Option<string>("--task", "-t") { Description = "classify (text → label), tag (text → one tag per word) or forecast (series → next values).", Required = true };
        task.AcceptOnlyFromAmong("classify", "tag", "forecast");
        var cell = new Option<string>("--cell") { Description = "The recurrent cell: lstm, gru or rnn (tanh).", DefaultValueFactory = _ => "lstm" };
        cell.AcceptOnlyFromAmong("lstm", "gru", "rnn");
        var text = new Option<string?>("--text-col") { Description = "The text column (classify, tag)." };
        var label = new Option<string?>("--label-col", "-l") { Description = "The label column (classify), or the tags column (tag)." };
        var series = new Option<string?>("--series-col") { Description = "The numeric series column (forecast)." };
        var window = new Option<int>("--window") { Description = "Past values the forecaster sees (forecast).", DefaultValueFactory = _ => 24 };
        var horizon = new Option<int>("--horizon") { Description = "Values the forecaster predicts (forecast).", DefaultValueFactory = _ => 1 };
        var hidden = new Option<int>("--hidden") { Description = "Hidden width of the recurrent layers.", DefaultValueFactory = _ => 32 };
        var layers = new Option<int>("--layers") { Description = "Stacked recurrent layers.", DefaultValueFactory = _ => 1 };
        var bidirectional = new Option<bool>("--bidirectional") { Description = "Read each sequence in both directions." };
        var epochs = new Option<int>("--epochs") { Description = "The most passes over the training rows.", DefaultValueFactory = _ => 20 };
        var learningRate = new Option<double>("--learning-rate") { Description = "The initial learning rate (Adam).", DefaultValueFactory = _ => 0.005 };
        var batchSize = new Option<int>("--batch-size") { Description = "Rows per gradient step.", DefaultValueFactory = _ => 32 };
        var testFraction = new Option<double>("--test-fraction") { Description = "Fraction of the rows kept aside for the test metrics, in (0, 1).", DefaultValueFactory = _ => 0.2 };
        var seed = new Option<int>("--seed") { Description = "Seed of the split, initialization and shuffling.", DefaultValueFactory = _ => 1 };
        var maxTokens = new Option<int>("--max-tokens")
        {
            Description = "The most words a row's text may hold (classify, tag): the network pads every row to the longest, so a longer row is an error naming its line, or, with --truncate, cut.",
            DefaultValueFactory = _ => SequenceText.DefaultMaxTokens,
        };
        var truncate = new Option<bool>("--truncate") { Description = "Train on the first --max-tokens words of a longer row (and its first tags) instead of refusing it." };
        var output = new Option<FileInfo>("--output", "-o") { Description = "Where to save the model (.zip).", Required = true };
        var noProgress = new Option<bool>("--no-progress") { Description = "Print one line per epoch instead of a progress bar." };

        var command = new Command("sequence", "Train an LSTM, GRU or RNN classifier, tagger or forecaster on a CSV/TSV file, print test metrics and save the model.");
        dataset.AddTo(command);
        foreach (var option in new Option[] { task, cell, text, label, series, window, horizon, hidden, layers, bidirectional, epochs, learningRate, batchSize, testFraction, seed, maxTokens, truncate, output, noProgress })
            command.Options.Add(option);
        command.SetAction(parse => Run(environment, new Settings(
            dataset.ReadHeader(parse),
            parse.GetValue(task)!,
            parse.GetValue(cell) switch { "gru" => SequenceCellType.Gru, "rnn" => SequenceCellType.Rnn, _ => SequenceCellType.Lstm },
            parse.GetValue(text),
            parse.GetValue(label),
            parse.GetValue(series),
            parse.GetValue(window),
            parse.GetValue(horizon),
            parse.GetValue(hidden),
            parse.GetValue(layers),
            parse.GetValue(bidirectional),
            parse.GetValue(epochs),
            parse.GetValue(learningRate),
            parse.GetValue(batchSize),
            parse.GetValue(testFraction),
            parse.GetValue(seed),
            parse.GetValue(output)!.FullName,
            !parse.GetValue(noProgress) && environment.IsInteractive,
            parse.GetValue(maxTokens),
            parse.GetValue(truncate))));
        return command;
    }

    private sealed record Settings(DelimitedHeader Header, string Task, SequenceCellType Cell, string? Text, string? Label, string? Series,
        int Window, int Horizon, int Hidden, int Layers, bool Bidirectional, int Epochs, double LearningRate, int BatchSize,
        double TestFraction, int Seed, string Output, bool Interactive, int MaxTokens = SequenceText.DefaultMaxTokens, bool Truncate = false);

    private static int Run(CliEnvironment environment, Settings settings)
    {
        if (!(settings.TestFraction > 0 && settings.TestFraction < 1))
            throw new CliException($"--test-fraction {settings.TestFraction} must lie strictly between 0 and 1.");
        // Checked before training, so that a mistyped path does not cost the trained model.
        ModelParts.CheckFolder(settings.Output, "--output");
        var ml = new MLContext(settings.Seed);
        return settings.Task == "forecast" ? Forecast(environment, ml, settings) : Classify(environment, ml, settings);
    }

    private static int Classify(CliEnvironment environment, MLContext ml, Settings settings)
    {
        var header = settings.Header;
        string textName = settings.Text ?? throw new CliException($"--task {settings.Task} needs --text-col.");
        string labelName = settings.Label ?? throw new CliException($"--task {settings.Task} needs --label-col.");
        int textIndex = header.IndexOf(textName, "--text-col"), labelIndex = header.IndexOf(labelName, "--label-col");
        bool tagging = settings.Task == "tag";
        bool binary = !tagging && header.IsBoolean[labelIndex];
        SequenceText.Check(header, textIndex, tagging ? labelIndex : null, settings.MaxTokens, settings.Truncate);
        var data = DatasetLoader.Load(ml, header,
        [
            new TextLoader.Column(textName, DataKind.String, textIndex),
            new TextLoader.Column(labelName, binary ? DataKind.Boolean : DataKind.String, labelIndex),
        ]);
        if (settings.Truncate)
            data = SequenceText.Truncate(data, tagging ? [textName, labelName] : [textName], settings.MaxTokens);
        var split = ml.Data.TrainTestSplit(data, settings.TestFraction, seed: settings.Seed);
        IEstimator<ITransformer> featurizer = ml.Transforms.Text.TokenizeIntoWords("Words", textName)
            .Append(ml.Transforms.Conversion.MapValueToKey("Features", "Words"));
        if (tagging)
            featurizer = featurizer.Append(ml.Transforms.Text.TokenizeIntoWords("Tags", labelName))
                .Append(ml.Transforms.Conversion.MapValueToKey("Label", "Tags"));
        else if (!binary)
            featurizer = featurizer.Append(ml.Transforms.Conversion.MapValueToKey("Label", labelName));
        string label = binary ? labelName : "Label";
        var fittedFeaturizer = featurizer.Fit(data);
        environment.Console.WriteLine($"Dataset: {header.Path}; text '{textName}', {(tagging ? "tags" : "label")} '{labelName}' ({(tagging ? "tagging" : binary ? "binary classification" : "multiclass classification")}); {settings.Cell} network.");

        var (predictor, canceled) = Train(environment, settings, progress =>
        {
            var train = fittedFeaturizer.Transform(split.TrainSet);
            return tagging
                ? Fill(new SequenceTaggingTrainer.Options(), settings, label, progress, environment, ml.MulticlassClassification.Trainers.RecurrentTagger).Fit(train)
                : binary
                    ? Fill(new SequenceBinaryTrainer.Options(), settings, label, progress, environment, ml.BinaryClassification.Trainers.Recurrent).Fit(train)
                    : Fill(new SequenceMulticlassTrainer.Options(), settings, label, progress, environment, ml.MulticlassClassification.Trainers.Recurrent).Fit(train);
        });
        var model = new TransformerChain<ITransformer>(fittedFeaturizer, predictor);
        return Finish(environment, ml, model, data.Schema, settings, canceled, () =>
        {
            var scored = model.Transform(split.TestSet);
            if (tagging)
                return [("TokenAccuracy", MetricsTable.TokenAccuracy(scored, "Label", "PredictedLabel"))];
            if (binary)
            {
                if (AfterTraining.OneClassNote(scored, label, "test") is { } note)
                {
                    environment.Console.WriteLine(note);
                    return null;
                }
                var result = ml.BinaryClassification.Evaluate(scored, label);
                return [("Accuracy", result.Accuracy), ("AreaUnderRocCurve", result.AreaUnderRocCurve), ("F1Score", result.F1Score), ("LogLoss", result.LogLoss)];
            }
            var multiclass = MetricsTable.Multiclass(ml, scored, label);
            return [("MicroAccuracy", multiclass.MicroAccuracy), ("MacroAccuracy", multiclass.MacroAccuracy), ("LogLoss", multiclass.LogLoss)];
        });
    }

    private static int Forecast(CliEnvironment environment, MLContext ml, Settings settings)
    {
        var header = settings.Header;
        string seriesName = settings.Series ?? throw new CliException("--task forecast needs --series-col.");
        if (settings.Window < 1 || settings.Horizon < 1)
            throw new CliException($"--window {settings.Window} and --horizon {settings.Horizon} must be at least 1.");
        var values = SeriesWindows.Read(ml, header, seriesName, "--series-col");
        SeriesWindows.CheckSize(header, values.Length, settings.Window, settings.Horizon, "--window and --horizon");
        int testStart = (int)(values.Length * (1 - settings.TestFraction));
        if (testStart < settings.Window + settings.Horizon || values.Length - testStart < settings.Horizon)
            throw new CliException($"'{header.Path}' has {values.Length} values: too few for a window of {settings.Window}, a horizon of {settings.Horizon} and a test part.");
        var schema = SeriesWindows.Schema(settings.Window, settings.Horizon);
        var train = ml.Data.LoadFromEnumerable(SeriesWindows.Rows(values.AsSpan(0, testStart), settings.Window, settings.Horizon), schema);
        var testRows = SeriesWindows.Rows(values.AsSpan(Math.Max(0, testStart - settings.Window)), settings.Window, settings.Horizon);
        environment.Console.WriteLine($"Dataset: {header.Path}; series '{seriesName}', {values.Length} values; window {settings.Window}, horizon {settings.Horizon}; {settings.Cell} network.");

        var (predictor, canceled) = Train(environment, settings, progress =>
        {
            var options = new SequenceForecastingTrainer.Options { Horizon = settings.Horizon };
            return Fill(options, settings, "Label", progress, environment, ml.Regression.Trainers.RecurrentForecaster).Fit(train);
        });
        return Finish(environment, ml, predictor, train.Schema, settings, canceled, () =>
        {
            var scored = predictor.Transform(ml.Data.LoadFromEnumerable(testRows, schema));
            double modelError = 0, naiveError = 0;
            int count = 0;
            using (var cursor = scored.GetRowCursor([scored.Schema["Score"]]))
            {
                var getScore = settings.Horizon == 1 ? null : cursor.GetGetter<VBuffer<float>>(scored.Schema["Score"]);
                var getSingle = settings.Horizon == 1 ? cursor.GetGetter<float>(scored.Schema["Score"]) : null;
                VBuffer<float> buffer = default;
                float single = 0;
                for (int row = 0; cursor.MoveNext(); row++)
                {
                    ReadOnlySpan<float> forecast = getSingle is null ? Read(getScore!, ref buffer) : [Read(getSingle, ref single)];
                    for (int h = 0; h < settings.Horizon; h++)
                    {
                        modelError += Math.Abs(forecast[h] - testRows[row].Label[h]);
                        naiveError += Math.Abs(testRows[row].Features[^1] - testRows[row].Label[h]);
                        count++;
                    }
                }
            }
            return [("MeanAbsoluteError", modelError / count), ("NaiveMeanAbsoluteError", naiveError / count)];
        });
    }

    private static ReadOnlySpan<float> Read(ValueGetter<VBuffer<float>> getter, ref VBuffer<float> buffer)
    {
        getter(ref buffer);
        return buffer.GetValues();
    }

    private static float Read(ValueGetter<float> getter, ref float value)
    {
        getter(ref value);
        return value;
    }

    /// <summary>The series column's values in file order; a missing or non-finite value is an error naming its row.</summary>

    private static TTrainer Fill<TOptions, TTrainer>(TOptions options, Settings settings, string label, IProgress<TrainingProgress> progress,
        CliEnvironment environment, Func<TOptions, TTrainer> create)
        where TOptions : SequenceTrainerOptions
    {
        options.Cell = settings.Cell;
        options.LabelColumnName = label;
        options.FeatureColumnName = "Features";
        options.HiddenSize = settings.Hidden;
        options.NumberOfLayers = settings.Layers;
        options.Bidirectional = settings.Bidirectional;
        options.NumberOfEpochs = settings.Epochs;
        options.LearningRate = settings.LearningRate;
        options.BatchSize = settings.BatchSize;
        options.Seed = settings.Seed;
        options.Progress = progress;
        options.CancellationToken = environment.Cancellation;
        try
        {
            return create(options);
        }
        catch (ArgumentException e)
        {
            throw TrainerOptionErrors.Rephrase(e);
        }
    }

    private static (SequencePredictionTransformer Model, bool Canceled) Train(CliEnvironment environment, Settings settings,
        Func<IProgress<TrainingProgress>, SequencePredictionTransformer> train)
    {
        try
        {
            var model = TrainingDisplay.Run(environment.Console, settings.Interactive, train);
            var summary = model.TrainingResult!;
            environment.Console.WriteLine($"Training: {summary.EpochsCompleted} epoch(s), {summary.StopReason}; best epoch {summary.BestEpoch}; {summary.TrainingRowCount} training and {summary.ValidationRowCount} validation rows; {summary.Elapsed.TotalSeconds:F1} s.");
            return (model, false);
        }
        catch (TrainingCanceledException stopped)
        {
            environment.Console.WriteLine(stopped.Message);
            return ((SequencePredictionTransformer)stopped.PartialModel, true);
        }
    }

    /// <summary>
    /// Saves the model, then computes and prints the test metrics (<paramref name="metrics"/>; null: a note took their
    /// place). The model is saved first, so that a failure in the metrics never costs it: the failure is reported on
    /// standard error and the exit code is <see cref="AfterTraining.StepFailedExitCode"/>.
    /// </summary>
    private static int Finish(CliEnvironment environment, MLContext ml, ITransformer model, DataViewSchema schema, Settings settings,
        bool canceled, Func<IReadOnlyList<(string Name, double Value)>?> metrics)
    {
        ModelParts.Save(environment, ml, model, schema, settings.Output);
        environment.Console.WriteLine(canceled
            ? $"Training was canceled; the best model so far was saved to {settings.Output}."
            : $"Model saved to {settings.Output}.");
        bool metricsComputed = AfterTraining.Try("the test metrics", settings.Output, () =>
        {
            if (metrics() is { } table)
                MetricsTable.Print(environment.Console, table, "Test metrics");
        });
        if (canceled)
            return TrainCommand.CanceledExitCode;
        return metricsComputed ? 0 : AfterTraining.StepFailedExitCode;
    }
}
