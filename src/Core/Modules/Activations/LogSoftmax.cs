using MLNetExt.Core.Autograd;
using MLNetExt.Core.Ops;

namespace MLNetExt.Core.Modules;

/// <summary>
/// <c>torch.nn.LogSoftmax(dim=-1)</c> over the last dimension: y = x − max − log Σ e^(x − max). Shapes: [*, C] → [*, C].
/// </summary>
public sealed class LogSoftmax : Module
{
    /// <inheritdoc />
    public override Tensor Forward(Tensor input, Tape? tape = null) => Activations.LogSoftmax(input, tape);

    /// <inheritdoc />
    public override int[] OutputShape(ReadOnlySpan<int> inputShape)
    {
        if (inputShape.Length == 0)
            throw new ArgumentException("LogSoftmax works over the last dimension and needs input of rank ≥ 1, but got a scalar.", "input");
        return inputShape.ToArray();
    }
}
