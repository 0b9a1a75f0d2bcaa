using FluentAssertions;
using MLNetExt.Core.Modules;

namespace MLNetExt.Core.Tests.WorkedExamples;

/// <summary>COURSE-NOTES: f(x) = wᵀ max{0, Wᵀx + c} + b with W = [[1,1],[1,1]], c = [0,−1], w = [1,−2], b = 0 computes XOR.</summary>
public class XorReluExampleTests
{
    [Fact]
    public void The_hand_built_relu_network_computes_xor_exactly()
    {
        var hidden = new Linear(2, 2);
        var output = new Linear(2, 1);
        hidden.Weight.Span.SetValues(1f, 1f, 1f, 1f);   // Wᵀ (W is symmetric)
        hidden.Bias!.Span.SetValues(0f, -1f);          // c
        output.Weight.Span.SetValues(1f, -2f);         // wᵀ
        output.Bias!.Span.SetValues(0f);               // b
        var network = new Sequential(hidden, new ReLU(), output);

        var inputs = Tensor.FromValues([0f, 0f, 0f, 1f, 1f, 0f, 1f, 1f], 4, 2);
        network.Forward(inputs).Span.ToArray().Should().Equal(0f, 1f, 1f, 0f);
    }
}
