using System.CommandLine;
using System.Globalization;
using MLNetExt.Trainers.WordEmbeddings;
using Spectre.Console;

namespace MLNetExt.Cli.Commands;

/// <summary>
/// <c>mlnetext glove</c>: counts co-occurrences in a UTF-8 text file, trains GloVe (the Stanford tool's behaviour)
/// and writes the vectors (W + W̃) in GloVe's text format. Ctrl+C stops counting or training and writes nothing.
/// </summary>
internal static class GloVeCommand
{
    public static Command Create(CliEnvironment environment)
    {
        var input = new Option<FileInfo>("--input", "-i") { Description = "The corpus: a UTF-8 text file, one or more sentences per line, tokens separated by whitespace; windows do not cross lines.", Required = true };
        var output = new Option<FileInfo>("--output", "-o") { Description = "Where to write the vectors, GloVe text format (replaced atomically).", Required = true };
        var size = new Option<int>("--size") { Description = "The length of each word vector.", DefaultValueFactory = _ => 50 };
        var window = new Option<int>("--window") { Description = "Context words counted on each side of a word.", DefaultValueFactory = _ => 15 };
        var minCount = new Option<int>("--min-count") { Description = "Words seen fewer times are dropped.", DefaultValueFactory = _ => 5 };
        var epochs = new Option<int>("--epochs") { Description = "Passes over the co-occurrence entries.", DefaultValueFactory = _ => 25 };
        var xMax = new Option<double>("--x-max") { Description = "x_max of the weighting f(x) = min(1, (x/x_max)^alpha).", DefaultValueFactory = _ => 100 };
        var alpha = new Option<double>("--alpha") { Description = "alpha of the weighting f(x) = min(1, (x/x_max)^alpha).", DefaultValueFactory = _ => 0.75 };
        var eta = new Option<double>("--eta") { Description = "AdaGrad's initial learning rate.", DefaultValueFactory = _ => 0.05 };
        var threads = new Option<int>("--threads") { Description = "Training threads (1: fully reproducible for a seed).", DefaultValueFactory = _ => Environment.ProcessorCount };
        var seed = new Option<ulong>("--seed") { Description = "Seed of the initial weights and of the entry shuffle.", DefaultValueFactory = _ => 1 };
        var noProgress = new Option<bool>("--no-progress") { Description = "Print one line per epoch instead of a progress bar." };

        var command = new Command("glove", "Train GloVe vectors on a text file and write them in GloVe's text format. Ctrl+C stops training and writes nothing.");
        foreach (var option in new Option[] { input, output, size, window, minCount, epochs, xMax, alpha, eta, threads, seed, noProgress })
            command.Options.Add(option);
        command.SetAction(parse =>
        {
            var options = new GloVeOptions
            {
                VectorSize = parse.GetValue(size),
                Window = parse.GetValue(window),
                MinCount = parse.GetValue(minCount),
                Epochs = parse.GetValue(epochs),
                XMax = parse.GetValue(xMax),
                WeightingExponent = parse.GetValue(alpha),
                LearningRate = parse.GetValue(eta),
                Workers = parse.GetValue(threads),
                Seed = parse.GetValue(seed),
            };
            string outputPath = parse.GetValue(output)!.FullName;
            // Checked before training, so that a mistyped path does not cost the trained vectors.
            ModelParts.CheckFolder(outputPath, "--output");
            var corpus = CorpusFile.Open(parse.GetValue(input)!, "--input", environment.Cancellation);
            return Run(environment, corpus, options, outputPath, !parse.GetValue(noProgress) && environment.IsInteractive);
        });
        return command;
    }

    private static int Run(CliEnvironment environment, CorpusFile corpus, GloVeOptions options, string outputPath, bool interactive)
    {
        var console = environment.Console;
        var trainer = EmbeddingCommandErrors.Checked(() => new GloVeTrainer(options), Flag);
        try
        {
            var vocabulary = EmbeddingCommandErrors.Vocabulary(() => trainer.BuildVocabulary(corpus), corpus, "--min-count", options.MinCount);
            var cooccurrences = trainer.CountCooccurrences(corpus, vocabulary, environment.Cancellation);
            if (cooccurrences.Count == 0)
                throw new CliException($"No two kept words of '{corpus.Path}' occur within --window {options.Window} of each other on a line, so GloVe has nothing to fit.");
            console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"Corpus: {corpus.Path}; {vocabulary.RawWordCount} tokens; vocabulary {vocabulary.Count} words (--min-count {options.MinCount}); {cooccurrences.Count} co-occurrence entries. Training {options.VectorSize} dimensions, {options.Epochs} epoch(s), {options.Workers} thread(s)."));
            var vectors = EmbeddingTrainingDisplay.Run<GloVeProgress, KeyedVectors>(console, interactive,
                report => (report.Epoch, report.Epochs, string.Create(CultureInfo.InvariantCulture, $"cost {report.Cost:F5}")),
                progress => trainer.Train(cooccurrences, progress, environment.Cancellation));
            // Atomic, and a second Ctrl+C waits for it: the file is either the new vectors or as it was.
            environment.WriteFile(outputPath, stream => GloVeTextFormat.Write(vectors, stream));
            console.WriteLine($"Vectors written to {outputPath} ({vectors.Count} words × {vectors.VectorSize}, GloVe text format).");
            return 0;
        }
        catch (OperationCanceledException) when (environment.Cancellation.IsCancellationRequested)
        {
            console.WriteLine($"Training was canceled; nothing was written to {outputPath} (GloVe keeps no partially trained vectors).");
            return TrainCommand.CanceledExitCode;
        }
    }

    private static string? Flag(string? option) => option switch
    {
        nameof(GloVeOptions.VectorSize) => "--size",
        nameof(GloVeOptions.Window) => "--window",
        nameof(GloVeOptions.MinCount) => "--min-count",
        nameof(GloVeOptions.Epochs) => "--epochs",
        nameof(GloVeOptions.XMax) => "--x-max",
        nameof(GloVeOptions.WeightingExponent) => "--alpha",
        nameof(GloVeOptions.LearningRate) => "--eta",
        nameof(GloVeOptions.Workers) => "--threads",
        _ => null,
    };
}
