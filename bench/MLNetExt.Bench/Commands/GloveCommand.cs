using System.Diagnostics;
using System.Globalization;
using MLNetExt.Trainers.WordEmbeddings;

namespace MLNetExt.Bench.Commands;

/// <summary>
/// GloVe on the word2vec benchmark's corpus (same --file/--tokens), timing co-occurrence counting and training
/// separately. Settings are the GloVe tool's defaults (window 15 symmetric, D 50, x_max 100) except those named.
/// </summary>
internal sealed class GloveCommand : IBenchCommand
{
    public string Name => "glove";

    public string Usage => "glove [--file F] [--tokens N] [--workers W] [--epochs E] [--dim D] [--window K]   prints: glove workers=<w> words=<n> pairs=<p> count_seconds=<t> train_seconds=<t> total_seconds=<t>";

    public int Run(string[] args)
    {
        int workers = CommandLine.IntOption(args, "--workers", 2);
        int epochs = CommandLine.IntOption(args, "--epochs", 5);
        var options = new GloVeOptions
        {
            Workers = workers,
            Epochs = epochs,
            VectorSize = CommandLine.IntOption(args, "--dim", 50),
            Window = CommandLine.IntOption(args, "--window", 15),
        };
        var sentences = WordEmbeddingCorpus.Load(args);
        long words = sentences.Sum(s => (long)s.Length);
        var trainer = new GloVeTrainer(options);
        var vocabulary = trainer.BuildVocabulary(sentences);
        long start = Stopwatch.GetTimestamp();
        var matrix = trainer.CountCooccurrences(sentences, vocabulary);
        double counting = Stopwatch.GetElapsedTime(start).TotalSeconds;
        start = Stopwatch.GetTimestamp();
        trainer.Train(matrix);
        double training = Stopwatch.GetElapsedTime(start).TotalSeconds;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"glove workers={workers} epochs={epochs} words={words} pairs={matrix.Count} count_seconds={counting:F2} train_seconds={training:F2} total_seconds={counting + training:F2}"));
        return 0;
    }
}
