using System.Globalization;
using MLNetExt.Core;
using MLNetExt.Trainers.WordEmbeddings;

namespace MLNetExt.Bench.Commands;

/// <summary>The corpora of the word2vec and GloVe benchmarks, built exactly as <c>shared/anchors/word2vec.py</c> builds them.</summary>
internal static class WordEmbeddingCorpus
{
    private const int SentenceLength = 1000;

    /// <summary>
    /// With <c>--file F</c>: whitespace-separated tokens, each line cut into sentences of at most 1000 tokens.
    /// Otherwise <c>--tokens N</c> (default 2,000,000) tokens drawn from Zipf(1) over 30,000 words <c>w0..w29999</c>
    /// with a fixed seed, in sentences of 1000 (the same distribution as the anchor, not its NumPy draws: pass the
    /// anchor's corpus with --file for identical tokens).
    /// </summary>
    public static List<string[]> Load(string[] args)
    {
        string file = CommandLine.Option(args, "--file", "");
        var sentences = new List<string[]>();
        if (file.Length > 0)
        {
            foreach (string line in File.ReadLines(file, WordVectorTextEncoding))
            {
                var tokens = line.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
                for (int i = 0; i < tokens.Length; i += SentenceLength) sentences.Add(tokens[i..Math.Min(tokens.Length, i + SentenceLength)]);
            }
            return sentences;
        }
        int count = CommandLine.IntOption(args, "--tokens", 2_000_000);
        var names = Enumerable.Range(0, 30_000).Select(i => "w" + i.ToString(CultureInfo.InvariantCulture)).ToArray();
        var zipf = new ZipfSampler(names.Length);
        var random = new RandomSource(0);
        for (int start = 0; start < count; start += SentenceLength)
        {
            var sentence = new string[Math.Min(SentenceLength, count - start)];
            for (int i = 0; i < sentence.Length; i++) sentence[i] = names[zipf.Sample(random)];
            sentences.Add(sentence);
        }
        return sentences;
    }

    private static readonly System.Text.UTF8Encoding WordVectorTextEncoding = new(false, true);

    /// <summary>Analogy questions in the format of word2vec's <c>questions-words.txt</c> (": section" lines, then "a b c d").</summary>
    public static List<AnalogyQuestion> LoadQuestions(string path)
    {
        var questions = new List<AnalogyQuestion>();
        foreach (string line in File.ReadLines(path))
        {
            if (line.StartsWith(':') || string.IsNullOrWhiteSpace(line)) continue;
            var w = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            questions.Add(new AnalogyQuestion(w[0], w[1], w[2], w[3]));
        }
        return questions;
    }

    /// <summary>Writes the planted analogy corpus (one sentence a line) and its questions to <paramref name="directory"/>.</summary>
    public static void WritePlanted(string directory, int sentences)
    {
        Directory.CreateDirectory(directory);
        var corpus = SyntheticAnalogyCorpus.Generate(sentences, seed: 7);
        File.WriteAllLines(Path.Combine(directory, "corpus.txt"), corpus.Sentences.Select(s => string.Join(' ', s)));
        File.WriteAllLines(Path.Combine(directory, "questions.txt"),
            new[] { ": planted" }.Concat(corpus.Questions.Select(q => $"{q.A} {q.B} {q.C} {q.D}")));
    }
}
