using FluentAssertions;
using MLNetExt.Core.Autograd;
using MLNetExt.Core.Modules;
using MLNetExt.Core.Ops;
using MLNetExt.Core.Optim;

namespace MLNetExt.Core.Tests.WorkedExamples;

/// <summary>
/// Han &amp; Kamber's worked example (COURSE-NOTES, "Worked backprop example"): a 3-2-1 sigmoid network, x = (1, 0, 1),
/// target 1, learning rate 0.9. The textbook's Err_j is −∂L/∂I_j for L = ½(T − O)², and its update Δw = l·Err_j·O_i is
/// one step of plain gradient descent on that loss.
/// </summary>
public class BackpropagationExampleTests
{
    private static (Linear Hidden, Linear Output, Sequential Network) BuildNetwork()
    {
        var hidden = new Linear(3, 2);   // units 4 and 5
        var output = new Linear(2, 1);   // unit 6
        // Row j of a Linear weight holds the weights into unit j: [w14, w24, w34] and [w15, w25, w35].
        hidden.Weight.Span.SetValues(0.2f, 0.4f, -0.5f, -0.3f, 0.1f, 0.2f);
        hidden.Bias!.Span.SetValues(-0.4f, 0.2f);
        output.Weight.Span.SetValues(-0.3f, -0.2f);
        output.Bias!.Span.SetValues(0.1f);
        return (hidden, output, new Sequential(hidden, new Sigmoid(), output, new Sigmoid()));
    }

    private static Tensor HalfSquaredError(Tensor prediction, Tensor target, Tape tape)
    {
        var difference = TensorOps.Subtract(prediction, target, tape);
        return TensorOps.Scale(TensorOps.Sum(TensorOps.Multiply(difference, difference, tape), tape), 0.5f, tape);
    }

    [Fact]
    public void Forward_pass_errors_and_one_update_match_the_textbook()
    {
        var (hidden, output, network) = BuildNetwork();
        var x = Tensor.FromValues([1f, 0f, 1f], 1, 3);
        var target = Tensor.FromValues([1f], 1, 1);
        var tape = new Tape();

        var hiddenActivations = new Sigmoid().Forward(hidden.Forward(x));
        hiddenActivations.Span.ToArray().Should().BeEquivalentTo(new[] { 0.332f, 0.525f }, o => o.Using<float>(c => c.Subject.Should().BeApproximately(c.Expectation, 1e-3f)).WhenTypeIs<float>());

        var o6 = network.Forward(x, tape);
        o6.Data[0].Should().BeApproximately(0.473889f, 1e-6f);
        o6.Data[0].Should().BeApproximately(0.474f, 1e-3f);
        tape.Backward(HalfSquaredError(o6, target, tape));

        // Err_j = −∂L/∂θ_j.
        (-output.Bias!.Grad!.Data[0]).Should().BeApproximately(0.131169f, 1e-6f);
        (-hidden.Bias!.Grad!.Data[1]).Should().BeApproximately(-0.0065f, 1e-4f);
        (-hidden.Bias!.Grad!.Data[0]).Should().BeApproximately(-0.0087f, 1e-4f);

        new Sgd(network.Parameters(), lr: 0.9).Step();

        output.Weight.Data[0].Should().BeApproximately(-0.260829f, 1e-6f);           // w46
        output.Bias.Data[0].Should().BeApproximately(0.218052f, 1e-6f);              // θ6
        output.Weight.Data[1].Should().BeApproximately(-0.138f, 1e-3f);              // w56
        hidden.Weight.Data[0].Should().BeApproximately(0.192f, 1e-3f);               // w14
        hidden.Weight.Data[3].Should().BeApproximately(-0.306f, 1e-3f);              // w15
        hidden.Weight.Data[2].Should().BeApproximately(-0.508f, 1e-3f);              // w34
        hidden.Weight.Data[5].Should().BeApproximately(0.194f, 1e-3f);               // w35
        hidden.Bias.Data[1].Should().BeApproximately(0.194f, 1e-3f);                 // θ5
        hidden.Bias.Data[0].Should().BeApproximately(-0.408f, 1e-3f);                // θ4
        // x2 = 0, so the weights leaving input 2 do not move.
        hidden.Weight.Data[1].Should().Be(0.4f);
        hidden.Weight.Data[4].Should().Be(0.1f);
    }
}

internal static class SpanValues
{
    public static void SetValues(this Span<float> span, params float[] values)
    {
        values.Length.Should().Be(span.Length);
        values.CopyTo(span);
    }
}
