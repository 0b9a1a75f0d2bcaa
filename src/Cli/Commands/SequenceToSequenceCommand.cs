using System.CommandLine;
using System.Globalization;
using Microsoft.ML;
using Microsoft.ML.Data;
using MLNetExt.Cli.Data;
using MLNetExt.Cli.Output;
using MLNetExt.Trainers.DeepLearning;
using MLNetExt.Trainers.Sequence;
using MLNetExt.Trainers.SequenceToSequence;
using MLNetExt.Trainers.TextGeneration;
using Spectre.Console;

namespace MLNetExt.Cli.Commands;

/// <summary>
/// <c>mlnetext seq2seq</c>: trains an encoder–decoder with attention on a CSV/TSV file of (source, target) text pairs,
/// prints BLEU, ROUGE-L and exact match on a held-out part, translates the source column of another file with beam
/// search, and writes the greedy decoder as an ONNX graph. Ctrl+C stops training at the next batch and goes on with the
/// best weights so far, or stops the translations, leaving an existing output file as it was.
/// </summary>
internal static class SequenceToSequenceCommand
{
    public static Command Create(CliEnvironment environment)
    {
        var dataset = new DatasetOptions();
        var source = new Option<string>("--source-col", "-s") { Description = "The column of source texts.", Required = true };
        var target = new Option<string>("--target-col", "-t") { Description = "The column of target texts.", Required = true };
        var tokens = new Option<string>("--tokens") { Description = "chars (every character, spaces included: dates, spelling, codes) or words.", DefaultValueFactory = _ => "chars" };
        tokens.AcceptOnlyFromAmong("chars", "words");
        var cell = new Option<string>("--cell") { Description = "The recurrent cell: lstm or gru.", DefaultValueFactory = _ => "lstm" };
        cell.AcceptOnlyFromAmong("lstm", "gru");
        var attention = new Option<string>("--attention") { Description = "additive (Bahdanau), dot or general (Luong).", DefaultValueFactory = _ => "additive" };
        attention.AcceptOnlyFromAmong("additive", "dot", "general");
        var hidden = new Option<int>("--hidden") { Description = "The decoder state and encoder output width (split between the encoder's two directions).", DefaultValueFactory = _ => 128 };
        var embedding = new Option<int>("--embedding") { Description = "The token embedding width.", DefaultValueFactory = _ => 64 };
        var epochs = new Option<int>("--epochs") { Description = "The most passes over the training pairs.", DefaultValueFactory = _ => 30 };
        var learningRate = new Option<double>("--learning-rate") { Description = "The initial learning rate (Adam).", DefaultValueFactory = _ => 0.003 };
        var batchSize = new Option<int>("--batch-size") { Description = "Pairs per gradient step.", DefaultValueFactory = _ => 32 };
        var testFraction = new Option<double>("--test-fraction") { Description = "Fraction of the pairs kept aside for the test metrics, in (0, 1).", DefaultValueFactory = _ => 0.1 };
        var beam = new Option<int>("--beam") { Description = "Beam width of the translations and test metrics; 1 is greedy decoding.", DefaultValueFactory = _ => 5 };
        var seed = new Option<int>("--seed") { Description = "Seed of the split, initialization and shuffling.", DefaultValueFactory = _ => 1 };
        var translate = new Option<FileInfo?>("--translate") { Description = "A CSV/TSV file (with a header) whose source column to translate after training." };
        var output = new Option<FileInfo?>("--output", "-o") { Description = "Where to write the translations (CSV: source, translation, log probability; replaced atomically); default: standard output." };
        var onnx = new Option<FileInfo?>("--onnx") { Description = "Where to write the greedy decoder as an ONNX graph (input source_ids int64 [T], output output_ids int64 [N])." };
        var noProgress = new Option<bool>("--no-progress") { Description = "Print one line per epoch instead of a progress bar." };

        var command = new Command("seq2seq",
            "Train a sequence-to-sequence model (LSTM/GRU encoder-decoder with attention) on text pairs, print BLEU, ROUGE-L and exact match on held-out pairs, "
            + "translate a file's source column and export the greedy decoder to ONNX.");
        dataset.AddTo(command);
        foreach (var option in new Option[] { source, target, tokens, cell, attention, hidden, embedding, epochs, learningRate, batchSize, testFraction, beam, seed, translate, output, onnx, noProgress })
            command.Options.Add(option);
        command.SetAction(parse =>
        {
            var settings = new Settings(dataset.ReadHeader(parse), parse.GetValue(source)!, parse.GetValue(target)!,
                parse.GetValue(tokens) == "words" ? TextUnit.Words : TextUnit.Characters,
                parse.GetValue(cell) == "gru" ? SequenceCellType.Gru : SequenceCellType.Lstm,
                parse.GetValue(attention) switch { "dot" => SequenceToSequenceAttention.Dot, "general" => SequenceToSequenceAttention.General, _ => SequenceToSequenceAttention.Additive },
                parse.GetValue(hidden), parse.GetValue(embedding), parse.GetValue(epochs), parse.GetValue(learningRate), parse.GetValue(batchSize),
                parse.GetValue(testFraction), parse.GetValue(beam), parse.GetValue(seed), parse.GetValue(translate)?.FullName,
                parse.GetValue(output)?.FullName, parse.GetValue(onnx)?.FullName, !parse.GetValue(noProgress) && environment.IsInteractive);
            return Run(environment, settings);
        });
        return command;
    }

    private sealed record Settings(DelimitedHeader Header, string Source, string Target, TextUnit Tokens, SequenceCellType Cell,
        SequenceToSequenceAttention Attention, int Hidden, int Embedding, int Epochs, double LearningRate, int BatchSize, double TestFraction,
        int Beam, int Seed, string? Translate, string? Output, string? Onnx, bool Interactive);

    private static int Run(CliEnvironment environment, Settings settings)
    {
        if (!(settings.TestFraction > 0 && settings.TestFraction < 1))
            throw new CliException($"--test-fraction {settings.TestFraction} must lie strictly between 0 and 1.");
        if (settings.Beam is < 1 or > 256)
            throw new CliException($"--beam {settings.Beam} must be in [1, 256].");
        // Checked before training, so that a mistyped path does not cost the trained model.
        foreach (var (path, option) in new[] { (settings.Output, "--output"), (settings.Onnx, "--onnx") })
        {
            if (path is not null)
                ModelParts.CheckFolder(path, option);
        }
        DelimitedHeader? translateHeader = settings.Translate is null ? null : DelimitedHeader.Read(settings.Translate, DelimitedHeader.SeparatorFor(settings.Translate, null), hasHeader: true);
        if (translateHeader is not null)
            translateHeader.IndexOf(settings.Source, "--source-col");

        var ml = new MLContext(settings.Seed);
        var (sources, targets) = ReadPairs(ml, settings);
        var order = Enumerable.Range(0, sources.Length).ToArray();
        new Random(settings.Seed).Shuffle(order);
        int testCount = Math.Max(1, (int)Math.Round(sources.Length * settings.TestFraction));
        if (sources.Length - testCount < 2)
            throw new CliException($"'{settings.Header.Path}' has {sources.Length} pair(s): too few to train on and test.");
        var test = order[..testCount];
        var train = order[testCount..];
        environment.Console.WriteLine($"Dataset: {settings.Header.Path}; '{settings.Source}' → '{settings.Target}', {sources.Length} pairs ({train.Length} training, {test.Length} test); {settings.Tokens} tokens, {settings.Cell} with {settings.Attention} attention.");

        var options = new SequenceToSequenceTrainerOptions
        {
            Tokens = settings.Tokens,
            Cell = settings.Cell,
            Attention = settings.Attention,
            HiddenSize = settings.Hidden,
            EmbeddingSize = settings.Embedding,
            NumberOfEpochs = settings.Epochs,
            LearningRate = settings.LearningRate,
            BatchSize = settings.BatchSize,
            Seed = settings.Seed,
            CancellationToken = environment.Cancellation,
        };
        var model = TrainingDisplay.Run(environment.Console, settings.Interactive, progress =>
        {
            options.Progress = progress;
            try
            {
                return SequenceToSequenceTrainer.Train([.. train.Select(i => sources[i])], [.. train.Select(i => targets[i])], options);
            }
            catch (ArgumentException e)
            {
                throw TrainerOptionErrors.Rephrase(e, ColumnFlags);
            }
        });
        var summary = model.Training!;
        bool canceled = summary.StopReason == TrainingStopReason.Canceled;
        environment.Console.WriteLine($"Training: {summary.EpochsCompleted} epoch(s), {summary.StopReason}; best epoch {summary.BestEpoch}; {summary.TrainingRowCount} training and {summary.ValidationRowCount} validation pairs; {summary.Elapsed.TotalSeconds:F1} s.");
        if (canceled)
            environment.Console.WriteLine("Training was canceled; going on with the best weights so far.");

        var decoding = new DecodingOptions { BeamWidth = settings.Beam };
        if (settings.Onnx is { } onnxPath)
        {
            environment.WriteFile(onnxPath, stream => stream.Write(SequenceToSequenceOnnx.ExportGreedyDecoder(model.Network)));
            environment.Console.WriteLine($"Greedy decoder written to {onnxPath} (ONNX; input source_ids, output output_ids).");
        }
        PrintTestMetrics(environment, model, test.Select(i => sources[i]).ToArray(), test.Select(i => targets[i]).ToArray(), decoding, settings.Tokens);
        if (translateHeader is not null)
            return Translate(environment, ml, model, translateHeader, settings, decoding) ?? (canceled ? Interrupts.ExitCode : 0);
        return canceled ? Interrupts.ExitCode : 0;
    }

    // The trainer names the text lists it refuses (a text with too many tokens) by their parameters.
    private static readonly Dictionary<string, string> ColumnFlags = new(StringComparer.Ordinal) { ["sources"] = "--source-col", ["targets"] = "--target-col" };

    // Every pair of the file, read as text (a missing text is empty).
    private static (string[] Sources, string[] Targets) ReadPairs(MLContext ml, Settings settings)
    {
        var header = settings.Header;
        int sourceIndex = header.IndexOf(settings.Source, "--source-col"), targetIndex = header.IndexOf(settings.Target, "--target-col");
        var data = DatasetLoader.Load(ml, header,
        [
            new TextLoader.Column("Source", DataKind.String, sourceIndex),
            new TextLoader.Column("Target", DataKind.String, targetIndex),
        ]);
        string[] sources = [.. data.GetColumn<ReadOnlyMemory<char>>("Source").Select(t => t.ToString())];
        string[] targets = [.. data.GetColumn<ReadOnlyMemory<char>>("Target").Select(t => t.ToString())];
        // Checked here, where a row's line is known: the trainer sees the training rows only, shuffled.
        int limit = new SequenceToSequenceTrainerOptions().MaximumTokens;
        for (int row = 0; row < sources.Length; row++)
        {
            foreach (var (text, column) in new[] { (sources[row], settings.Source), (targets[row], settings.Target) })
            {
                int count = TextUnits.Split(text, settings.Tokens).Count;
                if (count > limit)
                    throw new CliException($"Dataset file '{header.Path}', line {header.LineOfRow(row)?.ToString(CultureInfo.InvariantCulture) ?? "?"}, column '{column}': {count:N0} {settings.Tokens.ToString().ToLowerInvariant()}, more than the {limit:N0} a text may have.");
            }
        }
        return (sources, targets);
    }

    private static void PrintTestMetrics(CliEnvironment environment, SequenceToSequenceModel model, string[] sources, string[] targets, DecodingOptions decoding, TextUnit tokens)
    {
        var tokenizer = new GenerationTokenizer(tokens == TextUnit.Characters ? GenerationTokenization.Characters : GenerationTokenization.Whitespace);
        var bleu = new BleuStatistics();
        double rougeL = 0;
        int exact = 0;
        for (int i = 0; i < sources.Length; i++)
        {
            string translation = model.Translate(sources[i], decoding).Text;
            var hypothesis = tokenizer.Tokenize(translation);
            IReadOnlyList<string>[] reference = [tokenizer.Tokenize(targets[i])];
            bleu.Add(hypothesis, reference);
            rougeL += Rouge.L(hypothesis, reference).F1;
            if (translation == targets[i])
                exact++;
        }
        environment.Console.WriteLine($"Test pairs translated with beam width {decoding.BeamWidth}; BLEU-4 and ROUGE-L over {(tokens == TextUnit.Characters ? "characters" : "words")}.");
        MetricsTable.Print(environment.Console,
        [
            ("ExactMatch", exact / (double)sources.Length),
            ("Bleu", bleu.Score().Score),
            ("RougeL", rougeL / sources.Length),
        ], $"Test metrics ({sources.Length} pairs)");
    }

    // Translates the file's source column; null when done, the exit code when stopped.
    private static int? Translate(CliEnvironment environment, MLContext ml, SequenceToSequenceModel model, DelimitedHeader header, Settings settings, DecodingOptions decoding)
    {
        int index = header.IndexOf(settings.Source, "--source-col");
        var data = DatasetLoader.Load(ml, header, [new TextLoader.Column("Source", DataKind.String, index)]);
        var texts = data.GetColumn<ReadOnlyMemory<char>>("Source").Select(t => t.ToString());
        int Write(TextWriter writer)
        {
            writer.WriteLine(string.Join(",", PredictionWriter.Csv(settings.Source), "Translation", "LogProbability"));
            int rows = 0;
            foreach (string text in texts)
            {
                environment.Cancellation.ThrowIfCancellationRequested();
                var (translation, decoded) = Translate(model, text, decoding, header.Path, rows + (header.HasHeader ? 2 : 1));
                writer.WriteLine(string.Join(",", PredictionWriter.Csv(text), PredictionWriter.Csv(translation), decoded.LogProbability.ToString("R", CultureInfo.InvariantCulture)));
                rows++;
            }
            return rows;
        }
        try
        {
            if (settings.Output is null)
            {
                Write(Console.Out);
                return null;
            }
            int count = 0;
            environment.WriteFile(settings.Output, stream =>
            {
                using var writer = new StreamWriter(stream, leaveOpen: true);
                count = Write(writer);
            });
            environment.Console.WriteLine($"Wrote {count} translation(s) to {settings.Output}.");
            return null;
        }
        catch (OperationCanceledException) when (environment.Cancellation.IsCancellationRequested)
        {
            Console.Out.Flush();
            Console.Error.WriteLine(settings.Output is null
                ? "mlnetext: seq2seq was canceled; the translations above are incomplete."
                : $"mlnetext: seq2seq was canceled; {settings.Output} was not written (an existing file is as it was).");
            return Interrupts.ExitCode;
        }
    }

    private static (string Text, DecodedSequence Decoded) Translate(SequenceToSequenceModel model, string text, DecodingOptions decoding, string path, int line)
    {
        try
        {
            return model.Translate(text, decoding);
        }
        catch (ArgumentException e)
        {
            throw new CliException($"Dataset file '{path}', line {line}: {e.Message.Split(" (Parameter", 2)[0]}");
        }
    }
}
