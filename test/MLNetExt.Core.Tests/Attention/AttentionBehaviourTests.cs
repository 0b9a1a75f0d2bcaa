using FluentAssertions;
using MLNetExt.Core.Autograd;
using MLNetExt.Core.Modules;
using MLNetExt.Core.Modules.Attention;
using MLNetExt.Core.Ops;
using MLNetExt.Core.Tests.Infrastructure;
using static MLNetExt.Core.Tests.Attention.AttentionTesting;

namespace MLNetExt.Core.Tests.Attention;

/// <summary>What the parity tests do not show: dropout, padding isolation, copies, positional encodings, thread counts and bad arguments.</summary>
[Collection(EngineSettingsCollection.Name)]
public class AttentionBehaviourTests
{
    [Fact]
    public void Padded_keys_change_nothing_and_get_no_gradient()
    {
        var layer = new TransformerEncoderLayer(8, 2, 16, dropout: 0f, random: new RandomSource(1));
        var x = RequiringGrad(Random(2, 2, 5, 8));
        bool[] padding = PaddingMask([3, 5], 5);
        var y = ForwardWithGrad(layer, x, padding, validOnly: [3, 5]);

        // Rewrite the padded steps of sequence 0: its valid outputs must not move, and no gradient reached the padding.
        var changed = x.Clone();
        for (int t = 3; t < 5; t++)
            for (int j = 0; j < 8; j++) changed.Span[t * 8 + j] = 100f;
        var y2 = layer.Forward(changed, padding);
        y2.Span[..24].ToArray().Should().Equal(y.Span[..24].ToArray());
        x.Grad!.Span.Slice(24, 16).ToArray().Should().OnlyContain(g => g == 0f);
        x.Grad!.Span[..24].ToArray().Should().Contain(g => g != 0f);
    }

    [Fact]
    public void Dropout_acts_on_the_weights_in_training_only()
    {
        var attention = new MultiheadAttention(8, 2, dropout: 0.5f, random: new RandomSource(3));
        var x = Random(4, 2, 6, 8);
        var trained = attention.Forward(x, x, x, weights: AttentionWeightsMode.PerHead);
        attention.Eval();
        var evaluated = attention.Forward(x, x, x, weights: AttentionWeightsMode.PerHead);

        var dropped = trained.Weights!.Span.ToArray();
        var probabilities = evaluated.Weights!.Span.ToArray();
        dropped.Count(w => w == 0f).Should().BeInRange(dropped.Length / 4, dropped.Length * 3 / 4);
        for (int i = 0; i < dropped.Length; i++)
            if (dropped[i] != 0f) dropped[i].Should().BeApproximately(2f * probabilities[i], 1e-6f);
        trained.Output.Span.ToArray().Should().NotEqual(evaluated.Output.Span.ToArray());
        attention.Forward(x, x, x).Output.Span.ToArray().Should().Equal(evaluated.Output.Span.ToArray());
    }

    [Fact]
    public void Averaged_weights_are_the_mean_of_the_per_head_weights()
    {
        var attention = new MultiheadAttention(6, 3, random: new RandomSource(5));
        var x = Random(6, 2, 4, 6);
        bool[] padding = PaddingMask([4, 2], 4);
        var perHead = attention.Forward(x, x, x, padding, weights: AttentionWeightsMode.PerHead).Weights!;
        var averaged = attention.Forward(x, x, x, padding).Weights!;
        averaged.Shape.ToArray().Should().Equal(2, 4, 4);
        for (int b = 0; b < 2; b++)
            for (int i = 0; i < 16; i++)
                averaged.Span[b * 16 + i].Should().BeApproximately((perHead.Span[b * 48 + i] + perHead.Span[b * 48 + 16 + i] + perHead.Span[b * 48 + 32 + i]) / 3f, 1e-6f);
        attention.Forward(x, x, x, padding, weights: AttentionWeightsMode.None).Weights.Should().BeNull();
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Layers_and_encoders_return_the_weights_of_their_self_attention(bool normFirst)
    {
        var layer = new TransformerEncoderLayer(8, 2, 16, dropout: 0f, normFirst: normFirst, random: new RandomSource(14));
        var x = Random(15, 2, 5, 8);
        bool[] padding = PaddingMask([5, 3], 5);
        var result = layer.ForwardWithAttention(x, padding, null, causal: true, AttentionWeightsMode.PerHead);
        var attentionInput = normFirst ? layer.Norm1.Forward(x) : x;
        var expected = layer.SelfAttn.Forward(attentionInput, attentionInput, attentionInput, padding, causal: true, weights: AttentionWeightsMode.PerHead).Weights!;
        result.Weights!.Span.ToArray().Should().Equal(expected.Span.ToArray());
        result.Output.Span.ToArray().Should().Equal(layer.Forward(x, padding, causal: true).Span.ToArray());

        var encoder = new TransformerEncoder(layer, 2);
        var stacked = encoder.ForwardWithAttention(x, padding, null, false, AttentionWeightsMode.Averaged);
        var hidden = encoder.Layers[0].Forward(x, padding);
        stacked.Weights!.Span.ToArray().Should().Equal(encoder.Layers[1].ForwardWithAttention(hidden, padding, null, false, AttentionWeightsMode.Averaged).Weights!.Span.ToArray());
        encoder.ForwardWithAttention(x, padding, null, false, AttentionWeightsMode.None).Weights.Should().BeNull();
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void Results_are_bitwise_the_same_on_any_thread_count(int threads)
    {
        var (reference, referenceGrad) = RunEncoder(1);
        var (output, grad) = RunEncoder(threads);
        output.Should().Equal(reference);
        grad.Should().Equal(referenceGrad);
    }

    [Fact]
    public void A_steady_state_training_step_allocates_nothing()
    {
        var encoder = new TransformerEncoder(new TransformerEncoderLayer(8, 2, 16, dropout: 0.1f, activation: TransformerActivation.Gelu, random: new RandomSource(16)), 2);
        var pooling = AttentionPooling.Additive(8, 4, querySize: 8, random: new RandomSource(17));
        var position = new SinusoidalPositionalEncoding(8, 16);
        var x = Random(18, 3, 6, 8);
        var query = Random(19, 3, 8);
        bool[] padding = PaddingMask([6, 2, 4], 6);
        var tape = new Tape();
        Tensor Step()
        {
            tape.Reset();
            var encoded = encoder.Forward(position.Forward(x, tape), padding, causal: true, tape: tape);
            var pooled = pooling.Forward(encoded, padding, query, tape);
            var loss = TensorOps.Mean(TensorOps.Multiply(pooled.Context, pooled.Context, tape), tape);
            tape.Backward(loss);
            return loss;
        }

        var first = Step();
        Step().Should().BeSameAs(first);
        long before = GC.GetAllocatedBytesForCurrentThread();
        Step();
        (GC.GetAllocatedBytesForCurrentThread() - before).Should().Be(0, "buffers are reused across steps");
    }

    [Fact]
    public void An_encoder_copies_its_layer_as_pytorch_does()
    {
        var prototype = new TransformerEncoderLayer(8, 2, 16, random: new RandomSource(7));
        var encoder = new TransformerEncoder(prototype, 3, new LayerNorm(8));
        encoder.NamedParameters().Select(p => p.Key).Should().Contain(["layers.0.self_attn.in_proj_weight", "layers.2.norm2.bias", "norm.weight"]);
        encoder.Layers[2].Linear1.Weight.Span.ToArray().Should().Equal(prototype.Linear1.Weight.Span.ToArray());
        encoder.Layers[2].Linear1.Weight.Should().NotBeSameAs(encoder.Layers[0].Linear1.Weight);
        prototype.StateDict().Select(p => p.Key).Should().Equal(
            "self_attn.in_proj_weight", "self_attn.in_proj_bias", "self_attn.out_proj.weight", "self_attn.out_proj.bias",
            "linear1.weight", "linear1.bias", "linear2.weight", "linear2.bias", "norm1.weight", "norm1.bias", "norm2.weight", "norm2.bias");
        prototype.SelfAttn.InProjBias!.Span.ToArray().Should().OnlyContain(v => v == 0f);
        prototype.SelfAttn.OutProj.Bias!.Span.ToArray().Should().OnlyContain(v => v == 0f);
        float bound = MathF.Sqrt(6f / (8 + 24));
        prototype.SelfAttn.InProjWeight.Span.ToArray().Should().OnlyContain(v => MathF.Abs(v) <= bound).And.Contain(v => MathF.Abs(v) > bound / 2);
    }

    [Fact]
    public void Positional_encodings_add_their_first_T_rows()
    {
        var sinusoidal = new SinusoidalPositionalEncoding(4, 6);
        sinusoidal.Table.Span[..4].ToArray().Should().Equal(0f, 1f, 0f, 1f);
        sinusoidal.Table[4 + 0].Should().BeApproximately(MathF.Sin(1f), 1e-7f);
        sinusoidal.Table[4 + 3].Should().BeApproximately((float)Math.Cos(1.0 / 100.0), 1e-7f);

        var learned = new LearnedPositionalEncoding(6, 4, new RandomSource(8));
        var x = RequiringGrad(Random(9, 2, 3, 4));
        var tape = new Tape();
        var y = learned.Forward(x, tape);
        tape.Backward(TensorOps.Sum(y, tape));
        for (int i = 0; i < 24; i++) y.Span[i].Should().Be(x.Span[i] + learned.Weight.Span[i % 12]);
        learned.Weight.Grad!.Span[..12].ToArray().Should().OnlyContain(g => g == 2f);
        learned.Weight.Grad!.Span[12..].ToArray().Should().OnlyContain(g => g == 0f);
        x.Grad!.Span.ToArray().Should().OnlyContain(g => g == 1f);

        FluentActions.Invoking(() => sinusoidal.Forward(new Tensor(1, 7, 4))).Should().Throw<ArgumentException>().WithMessage("*[B, T ≤ 6, 4]*[1, 7, 4]*");
    }

    [Fact]
    public void Bad_arguments_are_refused_with_the_expected_shape()
    {
        var attention = new MultiheadAttention(8, 2);
        var x = new Tensor(2, 3, 8);
        attention.Invoking(a => a.Forward(new Tensor(2, 3, 6))).Should().Throw<ArgumentException>().WithParameterName("query").WithMessage("*[B, L, 8]*");
        attention.Invoking(a => a.Forward(x, new Tensor(3, 4, 8), new Tensor(3, 4, 8))).Should().Throw<ArgumentException>().WithParameterName("key");
        attention.Invoking(a => a.Forward(x, x, x, new bool[5])).Should().Throw<ArgumentException>().WithParameterName("keyPaddingMask").WithMessage("*[2, 3]*");
        attention.Invoking(a => a.Forward(x, x, x, attnMask: new Tensor(3, 4))).Should().Throw<ArgumentException>().WithParameterName("attnMask").WithMessage("*[3, 3]*");
        FluentActions.Invoking(() => new MultiheadAttention(8, 3)).Should().Throw<ArgumentOutOfRangeException>().WithParameterName("numHeads");
        FluentActions.Invoking(() => new TransformerEncoderLayer(8, 2, activation: (TransformerActivation)7)).Should().Throw<ArgumentOutOfRangeException>().WithParameterName("activation");

        var pooling = AttentionPooling.Additive(4, 3, querySize: 2);
        pooling.Invoking(p => p.Forward(new Tensor(2, 3, 4), default, null)).Should().Throw<InvalidOperationException>();
        pooling.Invoking(p => p.Forward(new Tensor(2, 3, 4), default, new Tensor(2, 3))).Should().Throw<ArgumentException>().WithParameterName("query").WithMessage("*[2, 2]*");
        pooling.Invoking(p => p.Forward(new Tensor(2, 3, 5), default, new Tensor(2, 2))).Should().Throw<ArgumentException>().WithParameterName("sequences");
        AttentionPooling.Additive(4, 3).Invoking(p => p.Forward(new Tensor(2, 3, 4), default, new Tensor(2, 2))).Should().Throw<InvalidOperationException>();
    }

    private static Tensor ForwardWithGrad(TransformerEncoderLayer layer, Tensor x, bool[] padding, int[] validOnly)
    {
        var tape = new Tape();
        var y = layer.Forward(x, padding, tape: tape);
        // The loss reads valid steps only, as a masked pooling would.
        var weights = Random(10, x.Shape.ToArray());
        int steps = x.Dim(1), width = x.Dim(2);
        for (int b = 0; b < validOnly.Length; b++)
            weights.Span.Slice((b * steps + validOnly[b]) * width, (steps - validOnly[b]) * width).Clear();
        tape.Backward(TensorOps.Sum(TensorOps.Multiply(y, weights, tape), tape));
        return y;
    }

    private static (float[] Output, float[] InputGrad) RunEncoder(int threads)
    {
        int saved = Engine.ThreadCount;
        Engine.ThreadCount = threads;
        try
        {
            var encoder = new TransformerEncoder(new TransformerEncoderLayer(16, 4, 32, dropout: 0.1f, random: new RandomSource(11)), 2);
            var x = RequiringGrad(Random(12, 4, 24, 16));
            var tape = new Tape();
            var y = encoder.Forward(x, PaddingMask([24, 10, 1, 17], 24), tape: tape);
            tape.Backward(TensorOps.Sum(TensorOps.Multiply(y, Random(13, 4, 24, 16), tape), tape));
            return (y.Span.ToArray(), x.Grad!.Span.ToArray());
        }
        finally
        {
            Engine.ThreadCount = saved;
        }
    }
}
