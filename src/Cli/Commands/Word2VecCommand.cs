using System.CommandLine;
using System.Globalization;
using MLNetExt.Trainers.WordEmbeddings;
using Spectre.Console;

namespace MLNetExt.Cli.Commands;

/// <summary>
/// <c>mlnetext word2vec</c>: trains Word2Vec (gensim 4.2's behaviour) on a UTF-8 text file and writes the vectors in
/// the word2vec C tool's binary or text format. Ctrl+C stops training and writes nothing: partially trained vectors
/// are not a model, and an existing output file is left as it was.
/// </summary>
internal static class Word2VecCommand
{
    public static Command Create(CliEnvironment environment)
    {
        var input = new Option<FileInfo>("--input", "-i") { Description = "The corpus: a UTF-8 text file, one or more sentences per line, tokens separated by whitespace.", Required = true };
        var output = new Option<FileInfo>("--output", "-o") { Description = "Where to write the vectors (replaced atomically).", Required = true };
        var binary = new Option<bool?>("--binary") { Description = "Write the binary format (true) or text (false). Default: binary when --output ends in .bin." };
        var skipGram = new Option<int>("--sg") { Description = "1: skip-gram; 0: CBOW.", DefaultValueFactory = _ => 0 };
        skipGram.AcceptOnlyFromAmong("0", "1");
        var hierarchical = new Option<int>("--hs") { Description = "1: also train a hierarchical softmax.", DefaultValueFactory = _ => 0 };
        hierarchical.AcceptOnlyFromAmong("0", "1");
        var size = new Option<int>("--size") { Description = "The length of each word vector.", DefaultValueFactory = _ => 100 };
        var window = new Option<int>("--window") { Description = "The largest distance between a word and a context word.", DefaultValueFactory = _ => 5 };
        var minCount = new Option<int>("--min-count") { Description = "Words seen fewer times are dropped.", DefaultValueFactory = _ => 5 };
        var negative = new Option<int>("--negative") { Description = "Noise words per positive pair (0: no negative sampling; then --hs 1 is needed).", DefaultValueFactory = _ => 5 };
        var epochs = new Option<int>("--epochs") { Description = "Passes over the corpus.", DefaultValueFactory = _ => 5 };
        var sample = new Option<double>("--sample") { Description = "Frequent-word subsampling threshold, in [0, 1); 0 turns it off.", DefaultValueFactory = _ => 1e-3 };
        var alpha = new Option<double>("--alpha") { Description = "The initial learning rate; it decays linearly to 0.0001.", DefaultValueFactory = _ => 0.025 };
        var threads = new Option<int>("--threads") { Description = "Training threads (1: fully reproducible for a seed).", DefaultValueFactory = _ => Environment.ProcessorCount };
        var seed = new Option<ulong>("--seed") { Description = "Seed of the initial vectors and every random draw.", DefaultValueFactory = _ => 1 };
        var noProgress = new Option<bool>("--no-progress") { Description = "Print one line per epoch instead of a progress bar." };

        var command = new Command("word2vec",
            "Train Word2Vec vectors on a text file and write them in word2vec's binary or text format. Ctrl+C stops training and writes nothing.");
        foreach (var option in new Option[] { input, output, binary, skipGram, hierarchical, size, window, minCount, negative, epochs, sample, alpha, threads, seed, noProgress })
            command.Options.Add(option);
        command.SetAction(parse =>
        {
            string outputPath = parse.GetValue(output)!.FullName;
            var options = new Word2VecOptions
            {
                SkipGram = parse.GetValue(skipGram) == 1,
                HierarchicalSoftmax = parse.GetValue(hierarchical) == 1,
                VectorSize = parse.GetValue(size),
                Window = parse.GetValue(window),
                MinCount = parse.GetValue(minCount),
                Negative = parse.GetValue(negative),
                Epochs = parse.GetValue(epochs),
                Sample = parse.GetValue(sample),
                Alpha = parse.GetValue(alpha),
                Workers = parse.GetValue(threads),
                Seed = parse.GetValue(seed),
            };
            options.MinAlpha = Math.Min(options.MinAlpha, options.Alpha);
            // Checked before training, so that a mistyped path does not cost the trained vectors.
            ModelParts.CheckFolder(outputPath, "--output");
            bool writeBinary = parse.GetValue(binary) ?? outputPath.EndsWith(".bin", StringComparison.OrdinalIgnoreCase);
            var corpus = CorpusFile.Open(parse.GetValue(input)!, "--input", environment.Cancellation);
            return Run(environment, corpus, options, outputPath, writeBinary, !parse.GetValue(noProgress) && environment.IsInteractive);
        });
        return command;
    }

    private static int Run(CliEnvironment environment, CorpusFile corpus, Word2VecOptions options, string outputPath, bool binary, bool interactive)
    {
        var console = environment.Console;
        var trainer = EmbeddingCommandErrors.Checked(() => new Word2VecTrainer(options), Flag);
        try
        {
            var vocabulary = EmbeddingCommandErrors.Vocabulary(() => trainer.BuildVocabulary(corpus), corpus, "--min-count", options.MinCount);
            console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"Corpus: {corpus.Path}; {vocabulary.RawWordCount} tokens; vocabulary {vocabulary.Count} words (--min-count {options.MinCount}). Training {(options.SkipGram ? "skip-gram" : "CBOW")}, {options.VectorSize} dimensions, {options.Epochs} epoch(s), {options.Workers} thread(s)."));
            var vectors = EmbeddingTrainingDisplay.Run<Word2VecProgress, KeyedVectors>(console, interactive,
                report => (report.Epoch, report.Epochs, string.Create(CultureInfo.InvariantCulture, $"words {report.WordsProcessed}/{report.TotalWords}  alpha {report.Alpha:F5}")),
                progress => trainer.Train(corpus, vocabulary, progress, environment.Cancellation));
            // Atomic, and a second Ctrl+C waits for it: the file is either the new vectors or as it was.
            environment.WriteFile(outputPath, stream => Word2VecFormat.Write(vectors, stream, binary));
            console.WriteLine($"Vectors written to {outputPath} ({vectors.Count} words × {vectors.VectorSize}, word2vec {(binary ? "binary" : "text")} format).");
            return 0;
        }
        catch (OperationCanceledException) when (environment.Cancellation.IsCancellationRequested)
        {
            console.WriteLine($"Training was canceled; nothing was written to {outputPath} (Word2Vec keeps no partially trained vectors).");
            return TrainCommand.CanceledExitCode;
        }
    }

    private static string? Flag(string? option) => option switch
    {
        nameof(Word2VecOptions.VectorSize) => "--size",
        nameof(Word2VecOptions.Window) => "--window",
        nameof(Word2VecOptions.MinCount) => "--min-count",
        nameof(Word2VecOptions.Negative) => "--negative",
        nameof(Word2VecOptions.Epochs) => "--epochs",
        nameof(Word2VecOptions.Sample) => "--sample",
        nameof(Word2VecOptions.Alpha) or nameof(Word2VecOptions.MinAlpha) => "--alpha",
        nameof(Word2VecOptions.Workers) => "--threads",
        _ => null,
    };
}
