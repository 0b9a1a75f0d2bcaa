using MLNetExt.Core.Autograd;
using MLNetExt.Core.Ops;

namespace MLNetExt.Core.Modules;

/// <summary><c>torch.nn.GELU</c>: y = x·Φ(x), or its tanh approximation. Shapes: [*] → [*].</summary>
public sealed class GELU : Module
{
    /// <summary>Creates the layer (PyTorch's default: exact, <c>approximate='none'</c>).</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="approximation"/> is not a defined value.</exception>
    public GELU(GeluApproximation approximation = GeluApproximation.None)
    {
        if (!Enum.IsDefined(approximation))
            throw new ArgumentOutOfRangeException(nameof(approximation), approximation, "Expected GeluApproximation.None or GeluApproximation.Tanh.");
        Approximation = approximation;
    }

    /// <summary>Exact or tanh-approximate.</summary>
    public GeluApproximation Approximation { get; }

    /// <inheritdoc />
    public override Tensor Forward(Tensor input, Tape? tape = null) => Activations.Gelu(input, Approximation, tape);

    /// <inheritdoc />
    public override int[] OutputShape(ReadOnlySpan<int> inputShape) => inputShape.ToArray();
}
