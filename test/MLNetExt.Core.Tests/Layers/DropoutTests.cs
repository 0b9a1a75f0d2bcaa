using FluentAssertions;
using MLNetExt.Core.Autograd;
using MLNetExt.Core.Modules;
using MLNetExt.Core.Ops;
using MLNetExt.Core.Tests.Infrastructure;
using static MLNetExt.Core.Tests.Layers.LayerTesting;

namespace MLNetExt.Core.Tests.Layers;

public class DropoutTests
{
    [Fact]
    public void Evaluation_is_the_identity()
    {
        var layer = new Dropout(0.5f, new RandomSource(1));
        layer.Eval();
        var x = Random(2, 10, 10);
        layer.Forward(x).Should().BeSameAs(x);
        layer.Forward(x, new Tape()).Should().BeSameAs(x);
        layer.OutputShape([10, 10]).Should().Equal(10, 10);
    }

    [Theory]
    [InlineData(0.1f)]
    [InlineData(0.5f)]
    [InlineData(0.8f)]
    public void Training_drops_a_fraction_p_and_scales_the_rest(float p)
    {
        const int count = 100_000;
        var layer = new Dropout(p, new RandomSource(7));
        var x = new Tensor(count);
        x.Fill(1f);
        var y = layer.Forward(x).Span.ToArray();
        double dropped = y.Count(v => v == 0f) / (double)count;
        // The standard error of the fraction is √(p(1 − p)/n) ≤ 0.0016; allow about six of them.
        dropped.Should().BeApproximately(p, 0.01);
        y.Where(v => v != 0f).Should().AllSatisfy(v => v.Should().Be(1f / (1f - p)));
    }

    [Fact]
    public void Same_seed_gives_the_same_masks_and_successive_calls_differ()
    {
        var x = Random(3, 64);
        var first = new Dropout(0.5f, new RandomSource(42));
        var second = new Dropout(0.5f, new RandomSource(42));
        var a1 = first.Forward(x).Span.ToArray();
        var a2 = first.Forward(x).Span.ToArray();
        second.Forward(x).Span.ToArray().Should().Equal(a1);
        second.Forward(x).Span.ToArray().Should().Equal(a2);
        a2.Should().NotEqual(a1);
        new Dropout(0.5f, new RandomSource(43)).Forward(x).Span.ToArray().Should().NotEqual(a1);
    }

    [Fact]
    public void Gradient_is_the_mask_scaled_by_one_over_keep_probability()
    {
        const float p = 0.3f;
        var x = new Tensor(6, 5);
        new RandomSource(4).FillUniform(x.Span, 0.5f, 1.5f);
        // A fresh layer with a fixed seed per call: every evaluation sees the same mask.
        GradCheck.Check(t => new Dropout(p, new RandomSource(5)).Forward(x, t), [x]);

        x.Grad = null;
        var tape = new Tape();
        var y = new Dropout(p, new RandomSource(5)).Forward(x, tape);
        tape.Backward(TensorOps.Sum(y, tape));
        for (int i = 0; i < x.Length; i++)
        {
            float mask = y.Data[i] == 0f ? 0f : 1f / (1f - p);
            x.Grad!.Data[i].Should().Be(mask, $"element {i}");
        }
        x.Grad!.Span.ToArray().Should().Contain(0f).And.Contain(1f / (1f - p));
    }

    [Fact]
    public void Extreme_probabilities_and_bad_arguments()
    {
        var x = Random(5, 4, 4);
        new Dropout(0f).Forward(x).Should().BeSameAs(x);
        new Dropout(1f).Forward(x).Span.ToArray().Should().AllBeEquivalentTo(0f);
        FluentActions.Invoking(() => new Dropout(1.5f)).Should().Throw<ArgumentOutOfRangeException>().WithParameterName("p");
        FluentActions.Invoking(() => new Dropout(-0.1f)).Should().Throw<ArgumentOutOfRangeException>().WithParameterName("p");
    }
}
