using FluentAssertions;
using MLNetExt.Trainers.WordEmbeddings;

namespace MLNetExt.Trainers.Tests.WordEmbeddings;

public sealed class Word2VecTrainerTests
{
    private static readonly SyntheticAnalogyCorpus s_small = SyntheticAnalogyCorpus.Generate(sentenceCount: 3_000, seed: 2);

    private static Word2VecOptions Options(int workers = 1) => new() { VectorSize = 16, Epochs = 3, Workers = workers, BatchWords = 2_000 };

    [Fact]
    public void Single_worker_training_is_deterministic_for_a_seed()
    {
        var first = new Word2VecTrainer(Options()).Fit(s_small.Sentences);
        var second = new Word2VecTrainer(Options()).Fit(s_small.Sentences);
        first.Vectors.ToArray().Should().Equal(second.Vectors.ToArray());
        var otherSeed = new Word2VecTrainer(new Word2VecOptions { VectorSize = 16, Epochs = 3, Workers = 1, Seed = 2 }).Fit(s_small.Sentences);
        otherSeed.Vectors.ToArray().Should().NotEqual(first.Vectors.ToArray());
    }

    [Fact]
    public void Progress_reports_every_epoch_with_decaying_alpha_and_loss()
    {
        var reports = new List<Word2VecProgress>();
        var options = Options(workers: 2);
        options.ComputeLoss = true;
        options.SkipGram = true;
        var vectors = new Word2VecTrainer(options).Fit(s_small.Sentences, new SynchronousProgress<Word2VecProgress>(p => { lock (reports) reports.Add(p); }));
        reports.Select(r => r.Epoch).Should().BeEquivalentTo([1, 2, 3]);
        var ordered = reports.OrderBy(r => r.Epoch).ToArray();
        ordered[^1].WordsProcessed.Should().Be(ordered[^1].TotalWords);
        ordered.Select(r => r.Alpha).Should().BeInDescendingOrder();
        ordered.Should().OnlyContain(r => r.Alpha >= 0.0001 && r.Alpha <= 0.025);
        ordered.Should().OnlyContain(r => r.Loss > 0 && double.IsFinite(r.Loss));
        ordered[^1].Loss.Should().BeLessThan(ordered[0].Loss);
        vectors.Vectors.ToArray().Should().OnlyContain(x => float.IsFinite(x));
    }

    [Fact]
    public void Cancellation_stops_training()
    {
        using var source = new CancellationTokenSource();
        var options = Options();
        options.Epochs = 50;
        var act = () => new Word2VecTrainer(options).Fit(s_small.Sentences, new SynchronousProgress<Word2VecProgress>(_ => source.Cancel()), source.Token);
        act.Should().Throw<OperationCanceledException>();
        var glove = () => new GloVeTrainer(new GloVeOptions { Workers = 1 }).Fit(s_small.Sentences, new SynchronousProgress<GloVeProgress>(_ => source.Cancel()), source.Token);
        glove.Should().Throw<OperationCanceledException>();
    }

    [Fact]
    public void Cbow_sum_and_multithreaded_runs_learn()
    {
        var options = new Word2VecOptions { VectorSize = 32, CbowMean = false, Alpha = 0.01, Workers = 2, Seed = 4 };
        var vectors = new Word2VecTrainer(options).Fit(Word2VecQualityTests.Corpus.Sentences);
        vectors.EvaluateAnalogies(Word2VecQualityTests.Corpus.Questions).Accuracy.Should().BeGreaterThan(0.8);
    }

    [Fact]
    public void Max_final_vocab_limits_the_vectors()
    {
        var options = Options();
        options.MaxFinalVocab = 20;
        var vectors = new Word2VecTrainer(options).Fit(s_small.Sentences);
        vectors.Count.Should().BeLessThanOrEqualTo(20);
        vectors.VectorSize.Should().Be(16);
    }

    [Theory]
    [InlineData(nameof(Word2VecOptions.VectorSize))]
    [InlineData(nameof(Word2VecOptions.Window))]
    [InlineData(nameof(Word2VecOptions.Sample))]
    [InlineData(nameof(Word2VecOptions.MinAlpha))]
    [InlineData(nameof(Word2VecOptions.Epochs))]
    [InlineData(nameof(Word2VecOptions.Workers))]
    public void Out_of_range_options_are_named(string option)
    {
        var options = new Word2VecOptions();
        typeof(Word2VecOptions).GetProperty(option)!.SetValue(options, option switch
        {
            nameof(Word2VecOptions.Sample) => (object)1.5,
            nameof(Word2VecOptions.MinAlpha) => 0.5,
            _ => 0,
        });
        var act = () => new Word2VecTrainer(options);
        act.Should().Throw<ArgumentOutOfRangeException>().WithParameterName(option);
        var nothing = () => new Word2VecTrainer(new Word2VecOptions { Negative = 0 });
        nothing.Should().Throw<ArgumentException>().WithMessage("*HierarchicalSoftmax*");
        var glove = () => new GloVeTrainer(new GloVeOptions { XMax = 0 });
        glove.Should().Throw<ArgumentOutOfRangeException>().WithParameterName(nameof(GloVeOptions.XMax));
    }
}
