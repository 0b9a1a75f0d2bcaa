using System.Diagnostics;
using System.Globalization;
using MLNetExt.Trainers.WordEmbeddings;

namespace MLNetExt.Bench.Commands;

/// <summary>
/// Word2Vec training throughput, measured as the anchor <c>shared/anchors/word2vec.py</c> measures gensim 4.2: same
/// corpus and settings (gensim defaults except those named; negative 5, or hierarchical softmax with negative 0;
/// min_count 5, window 5, seed 1), the vocabulary built first and untimed, then the training timed (here it
/// includes turning the sentences into indices, as gensim's train() does). words_per_s = raw tokens × epochs / s.
/// With <c>--questions Q</c> it also prints the 3CosAdd analogy accuracy on Q (questions-words.txt format).
/// <c>--write-planted DIR [--sentences S]</c> only writes the planted analogy corpus and its questions to DIR.
/// </summary>
internal sealed class Word2VecCommand : IBenchCommand
{
    public string Name => "word2vec";

    public string Usage => "word2vec [--file F] [--tokens N] [--workers W] [--sg 0|1] [--hs 0|1] [--epochs E] [--dim D] [--questions Q] | --write-planted DIR   prints: word2vec sg=<s> hs=<h> workers=<w> words=<n> seconds=<t> words_per_s=<x>";

    public int Run(string[] args)
    {
        string planted = CommandLine.Option(args, "--write-planted", "");
        if (planted.Length > 0)
        {
            WordEmbeddingCorpus.WritePlanted(planted, CommandLine.IntOption(args, "--sentences", 30_000));
            return 0;
        }
        int workers = CommandLine.IntOption(args, "--workers", 2);
        int sg = CommandLine.IntOption(args, "--sg", 1);
        int hs = CommandLine.IntOption(args, "--hs", 0);
        int epochs = CommandLine.IntOption(args, "--epochs", 1);
        int dim = CommandLine.IntOption(args, "--dim", 100);
        string questions = CommandLine.Option(args, "--questions", "");
        var sentences = WordEmbeddingCorpus.Load(args);
        long words = sentences.Sum(s => (long)s.Length);

        var trainer = new Word2VecTrainer(new Word2VecOptions
        {
            VectorSize = dim,
            SkipGram = sg == 1,
            HierarchicalSoftmax = hs == 1,
            Negative = hs == 1 ? 0 : 5,
            Workers = workers,
            Epochs = epochs,
            Seed = 1,
        });
        var vocabulary = trainer.BuildVocabulary(sentences);
        long start = Stopwatch.GetTimestamp();
        var vectors = trainer.Train(sentences, vocabulary);
        double seconds = Stopwatch.GetElapsedTime(start).TotalSeconds;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"word2vec sg={sg} hs={hs} workers={workers} words={words} seconds={seconds:F2} words_per_s={words * epochs / seconds:F0}"));
        if (questions.Length > 0)
        {
            var result = vectors.EvaluateAnalogies(WordEmbeddingCorpus.LoadQuestions(questions));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"analogy accuracy={result.Accuracy:F4} answered={result.Answered}"));
        }
        return 0;
    }
}
