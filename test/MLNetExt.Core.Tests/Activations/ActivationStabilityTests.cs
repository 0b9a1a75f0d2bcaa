using Act = MLNetExt.Core.Ops.Activations;
using FluentAssertions;
using MLNetExt.Core.Autograd;
using MLNetExt.Core.Ops;

namespace MLNetExt.Core.Tests.Activations;

public class ActivationStabilityTests
{
    private static readonly float[] Extremes = [-1000f, -100f, -30f, -1e-4f, 0f, 1e-4f, 30f, 100f, 1000f];

    public static TheoryData<string> Names() => ActivationCatalog.UnaryNames();

    [Theory]
    [MemberData(nameof(Names))]
    public void Stays_finite_in_value_and_gradient_at_plus_minus_1000(string name)
    {
        var x = Tensor.FromValues(Extremes, 1, Extremes.Length);
        x.RequiresGrad = true;
        var tape = new Tape();
        var y = ActivationCatalog.Unary[name](x, tape);
        ActivationParityTests.BackwardWith(tape, y, Tensor.FromValues(Enumerable.Repeat(1f, Extremes.Length).ToArray(), 1, Extremes.Length));
        y.Span.ToArray().Should().OnlyContain(v => float.IsFinite(v), $"{name} is finite everywhere");
        x.Grad!.Span.ToArray().Should().OnlyContain(v => float.IsFinite(v), $"{name}'s gradient is finite everywhere");
    }

    [Fact]
    public void Extremes_reach_their_limits()
    {
        var x = Tensor.FromValues([-1000f, 1000f], 2);
        Act.Sigmoid(x).Span.ToArray().Should().Equal(0f, 1f);
        Act.Tanh(x).Span.ToArray().Should().Equal(-1f, 1f);
        Act.Softplus(x).Span.ToArray().Should().Equal(0f, 1000f);
        Act.Gelu(x).Span.ToArray().Should().Equal(0f, 1000f);
        Act.Gelu(x, GeluApproximation.Tanh).Span.ToArray().Should().Equal(0f, 1000f);
        Act.Elu(x).Span.ToArray().Should().Equal(-1f, 1000f);
        Act.Softmax(x.Reshape(1, 2)).Span.ToArray().Should().Equal(0f, 1f);
        Act.LogSoftmax(x.Reshape(1, 2)).Span.ToArray().Should().Equal(-2000f, 0f);
    }

    [Fact]
    public void Small_arguments_keep_full_relative_precision()
    {
        var x = Tensor.FromValues([-1e-6f, 1e-6f], 2);
        Act.Elu(x).Data[0].Should().BeApproximately(-9.999995e-7f, 1e-12f);
        Act.Softplus(Tensor.FromValues([-30f], 1)).Data[0].Should().BeApproximately(9.357623e-14f, 1e-19f);
    }
}
