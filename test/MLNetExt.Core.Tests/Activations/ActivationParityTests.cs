using Act = MLNetExt.Core.Ops.Activations;
using MLNetExt.Core.Autograd;
using MLNetExt.Core.Ops;
using MLNetExt.Core.Tests.Infrastructure;

namespace MLNetExt.Core.Tests.Activations;

/// <summary>Forward values and gradients against PyTorch 1.13 (Reference/generate_activations_losses.py).</summary>
public class ActivationParityTests
{
    public static TheoryData<string> Names() => ActivationCatalog.UnaryNames();

    [Theory]
    [MemberData(nameof(Names))]
    public void Matches_pytorch_forward_and_input_gradient(string name)
    {
        var reference = ReferenceData.Load($"activations/{name}.json");
        var x = reference.Tensor("input");
        x.RequiresGrad = true;
        var tape = new Tape();
        var y = ActivationCatalog.Unary[name](x, tape);
        TensorAssert.Close(y, reference.Tensor("output"), what: $"{name} output");
        BackwardWith(tape, y, reference.Tensor("grad_output"));
        TensorAssert.Close(x.Grad!, reference.Tensor("grad_input"), what: $"{name} input gradient");
    }

    [Theory]
    [InlineData("prelu_channels")]
    [InlineData("prelu_single")]
    public void Prelu_matches_pytorch_including_weight_gradient(string name)
    {
        var reference = ReferenceData.Load($"activations/{name}.json");
        var x = reference.Tensor("input");
        var weight = reference.Tensor("weight");
        x.RequiresGrad = true;
        weight.RequiresGrad = true;
        var tape = new Tape();
        var y = Act.Prelu(x, weight, tape);
        TensorAssert.Close(y, reference.Tensor("output"), what: "PReLU output");
        BackwardWith(tape, y, reference.Tensor("grad_output"));
        TensorAssert.Close(x.Grad!, reference.Tensor("grad_input"), what: "PReLU input gradient");
        TensorAssert.Close(weight.Grad!, reference.Tensor("grad_weight"), what: "PReLU weight gradient");
    }

    /// <summary>Back-propagates L = Σ y ⊙ g, so that dL/dy = g (PyTorch's <c>y.backward(g)</c>).</summary>
    internal static void BackwardWith(Tape tape, Tensor y, Tensor gradOutput)
    {
        var loss = TensorOps.Sum(TensorOps.Multiply(y, gradOutput, tape), tape);
        tape.Backward(loss);
    }
}
