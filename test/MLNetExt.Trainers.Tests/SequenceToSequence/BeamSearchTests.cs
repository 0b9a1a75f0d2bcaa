using MLNetExt.Core;
using MLNetExt.Core.Losses;
using MLNetExt.Core.Ops;
using MLNetExt.Trainers.SequenceToSequence;

namespace MLNetExt.Trainers.Tests.SequenceToSequence;

/// <summary>
/// Beam search on an untrained network (random weights give spread-out, distinct probabilities, so every choice
/// matters): greedy decoding is the step-by-step argmax, every output's log probability is what teacher forcing its
/// tokens gives, and the options (length limit, no repeated n-grams, length normalization) hold.
/// </summary>
public class BeamSearchTests
{
    private static SequenceToSequenceNetwork Network(int seed = 3) => new(new SequenceToSequenceArchitecture
    {
        SourceVocabularySize = 9,
        TargetVocabularySize = 7,
        EmbeddingSize = 6,
        HiddenSize = 8,
        Dropout = 0,
    }, new RandomSource((ulong)seed));

    private static readonly int[] Source = [4, 7, 5, 8, TokenVocabulary.EndOfSequence];

    [Fact]
    public void Greedy_decoding_takes_the_argmax_at_every_step()
    {
        var network = Network();
        var decoded = BeamSearch.Decode(network, Source, new DecodingOptions { BeamWidth = 1, MaximumLength = 12 });

        var encoded = network.Encode([Source]);
        var state = network.Start(encoded);
        int previous = TokenVocabulary.BeginOfSequence;
        var expected = new List<int>();
        for (int step = 0; step <= 12; step++)
        {
            var output = network.Step(encoded, state, [previous]);
            var logits = network.Logits(output.Attentional).Span;
            // Padding, <unk> and <bos> are never produced.
            int best = TokenVocabulary.EndOfSequence + System.Numerics.Tensors.TensorPrimitives.IndexOfMax(logits[TokenVocabulary.EndOfSequence..]);
            if (step == 12 || best == TokenVocabulary.EndOfSequence)
                break;
            expected.Add(best);
            (previous, state) = (best, output.Next);
        }

        decoded.Tokens.Should().Equal(expected);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(6)]
    public void The_log_probability_is_what_teacher_forcing_the_output_gives_and_attention_rows_sum_to_one(int width)
    {
        var network = Network();
        var decoded = BeamSearch.Decode(network, Source, new DecodingOptions { BeamWidth = width, MaximumLength = 10, LengthPenalty = 0.7 });

        // Teacher forcing the output and its <eos> with a summing cross-entropy gives −Σ log P.
        var loss = network.Loss([Source], [[.. decoded.Tokens, TokenVocabulary.EndOfSequence]], new CrossEntropyLoss(ignoreIndex: TokenVocabulary.Padding, reduction: Reduction.Sum), null);
        decoded.LogProbability.Should().BeApproximately(-loss.Data[0], 1e-4);
        int steps = decoded.Tokens.Length + 1;
        decoded.Score.Should().BeApproximately(decoded.LogProbability / Math.Pow(steps, 0.7), 1e-9);
        decoded.SourceLength.Should().Be(Source.Length);
        decoded.Attention.Should().HaveCount(steps * Source.Length);
        for (int t = 0; t < steps; t++)
            decoded.Attention.AsSpan(t * Source.Length, Source.Length).ToArray().Sum().Should().BeApproximately(1f, 1e-5f);
    }

    [Fact]
    public void A_wider_beam_with_no_length_normalization_finds_an_output_at_least_as_likely_as_greedy()
    {
        // With α = 0 the search ranks by Σ log P and stops only when no live output can beat the best finished one.
        for (int seed = 1; seed <= 5; seed++)
        {
            var network = Network(seed);
            double greedy = BeamSearch.Decode(network, Source, new DecodingOptions { BeamWidth = 1, LengthPenalty = 0, MaximumLength = 8 }).LogProbability;
            double beam = BeamSearch.Decode(network, Source, new DecodingOptions { BeamWidth = 8, LengthPenalty = 0, MaximumLength = 8 }).LogProbability;
            beam.Should().BeGreaterThanOrEqualTo(greedy - 1e-9, $"seed {seed}");
        }
    }

    [Fact]
    public void Outputs_keep_the_length_limit_and_repeat_no_n_gram_when_asked()
    {
        var network = Network();

        BeamSearch.Decode(network, Source, new DecodingOptions { BeamWidth = 3, MaximumLength = 2 }).Tokens.Length.Should().BeLessThanOrEqualTo(2);
        var noRepeat = BeamSearch.Decode(network, Source, new DecodingOptions { BeamWidth = 3, MaximumLength = 30, NoRepeatNGramSize = 1 });
        noRepeat.Tokens.Should().OnlyHaveUniqueItems();
        var noRepeatedPairs = BeamSearch.Decode(network, Source, new DecodingOptions { BeamWidth = 3, MaximumLength = 30, NoRepeatNGramSize = 2 });
        var pairs = noRepeatedPairs.Tokens.Zip(noRepeatedPairs.Tokens.Skip(1)).ToList();
        pairs.Should().OnlyHaveUniqueItems();
    }

    [Fact]
    public void Bad_options_and_sources_are_refused_by_name()
    {
        var network = Network();

        var width = () => BeamSearch.Decode(network, Source, new DecodingOptions { BeamWidth = 0 });
        width.Should().Throw<ArgumentOutOfRangeException>().WithMessage("BeamWidth must be in [1, 256]*");
        var outside = () => BeamSearch.Decode(network, [4, 99, TokenVocabulary.EndOfSequence]);
        outside.Should().Throw<ArgumentException>().WithMessage("Source 0, step 1: id 99 is outside the source vocabulary of 9*");
        var empty = () => BeamSearch.Decode(network, []);
        empty.Should().Throw<ArgumentException>().WithMessage("Source 0 is empty*");
    }
}
