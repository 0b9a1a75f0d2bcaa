using FluentAssertions;
using MLNetExt.Trainers.WordEmbeddings;
using Xunit.Abstractions;

namespace MLNetExt.Trainers.Tests.WordEmbeddings;

public sealed class GloVeQualityTests(ITestOutputHelper output)
{
    [Fact]
    public void Planted_analogies_and_pairs_are_recovered()
    {
        var corpus = Word2VecQualityTests.Corpus;
        var trainer = new GloVeTrainer(new GloVeOptions { Workers = 1, Seed = 5 });
        var costs = new List<double>();
        var vectors = trainer.Fit(corpus.Sentences, new SynchronousProgress<GloVeProgress>(p => costs.Add(p.Cost)));

        double cosAdd = vectors.EvaluateAnalogies(corpus.Questions).Accuracy;
        double cosMul = vectors.EvaluateAnalogies(corpus.Questions, AnalogyMethod.CosMul).Accuracy;
        double neighbours = Word2VecQualityTests.PartnerRecovery(vectors, corpus);
        output.WriteLine($"GloVe: 3CosAdd {cosAdd:P1}, 3CosMul {cosMul:P1}, partner in top 5 {neighbours:P1}, cost {costs[0]:G4} -> {costs[^1]:G4}");

        costs.Should().HaveCount(25);
        costs[^1].Should().BeLessThan(costs[0] / 2);
        cosAdd.Should().BeGreaterThanOrEqualTo(0.9);
        cosMul.Should().BeGreaterThanOrEqualTo(0.9);
        neighbours.Should().BeGreaterThanOrEqualTo(0.9);
    }
}
