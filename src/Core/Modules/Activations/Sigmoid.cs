using MLNetExt.Core.Autograd;
using MLNetExt.Core.Ops;

namespace MLNetExt.Core.Modules;

/// <summary><c>torch.nn.Sigmoid</c>: y = 1 / (1 + e⁻ˣ). Shapes: [*] → [*].</summary>
public sealed class Sigmoid : Module
{
    /// <inheritdoc />
    public override Tensor Forward(Tensor input, Tape? tape = null) => Activations.Sigmoid(input, tape);

    /// <inheritdoc />
    public override int[] OutputShape(ReadOnlySpan<int> inputShape) => inputShape.ToArray();
}
