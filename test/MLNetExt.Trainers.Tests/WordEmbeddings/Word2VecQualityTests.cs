using FluentAssertions;
using MLNetExt.Trainers.WordEmbeddings;
using Xunit.Abstractions;

namespace MLNetExt.Trainers.Tests.WordEmbeddings;

/// <summary>
/// End-to-end quality on the planted corpus (3 relations × 10 pairs, 540 analogy questions), single-threaded with
/// a fixed seed so the numbers are reproducible. Chance level for an analogy is about 1 / 600.
/// </summary>
public sealed class Word2VecQualityTests(ITestOutputHelper output)
{
    internal static readonly SyntheticAnalogyCorpus Corpus = SyntheticAnalogyCorpus.Generate(sentenceCount: 12_000, seed: 7, fillerPerSentence: 10);

    [Theory]
    [InlineData(true, false, 0.9, 0.9)]
    [InlineData(false, false, 0.9, 0.9)]
    [InlineData(true, true, 0.9, 0.9)]
    [InlineData(false, true, 0.9, 0.9)]
    public void Planted_analogies_and_pairs_are_recovered(bool skipGram, bool hierarchicalSoftmax, double analogyBar, double neighbourBar)
    {
        var options = new Word2VecOptions
        {
            SkipGram = skipGram,
            HierarchicalSoftmax = hierarchicalSoftmax,
            Negative = hierarchicalSoftmax ? 0 : 5,
            VectorSize = 50,
            Workers = 1,
            Seed = 3,
        };
        var vectors = new Word2VecTrainer(options).Fit(Corpus.Sentences);

        double cosAdd = vectors.EvaluateAnalogies(Corpus.Questions).Accuracy;
        double cosMul = vectors.EvaluateAnalogies(Corpus.Questions, AnalogyMethod.CosMul).Accuracy;
        double neighbours = PartnerRecovery(vectors, Corpus);
        output.WriteLine($"sg={skipGram} hs={hierarchicalSoftmax}: 3CosAdd {cosAdd:P1}, 3CosMul {cosMul:P1}, partner in top 5 {neighbours:P1}");

        cosAdd.Should().BeGreaterThanOrEqualTo(analogyBar);
        cosMul.Should().BeGreaterThanOrEqualTo(analogyBar);
        neighbours.Should().BeGreaterThanOrEqualTo(neighbourBar);
    }

    /// <summary>The fraction of planted words whose partner is among their 5 nearest neighbours.</summary>
    internal static double PartnerRecovery(KeyedVectors vectors, SyntheticAnalogyCorpus corpus)
    {
        int found = 0;
        foreach (var (a, b) in corpus.Pairs)
        {
            if (vectors.MostSimilar(a, 5).Any(s => s.Word == b)) found++;
            if (vectors.MostSimilar(b, 5).Any(s => s.Word == a)) found++;
        }
        return found / (2.0 * corpus.Pairs.Count);
    }
}
