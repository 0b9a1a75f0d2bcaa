using MLNetExt.Core.Autograd;
using MLNetExt.Core.Kernels;

namespace MLNetExt.Core.Ops;

/// <summary>
/// Differentiable activation functions with PyTorch's semantics (<c>torch.nn.functional</c>). Element-wise ones keep
/// the input's shape [*]; softmax and log-softmax work over the last dimension. Every function is finite wherever
/// its true value is (inputs of ±1000 included). Each takes an optional <see cref="Tape"/> as its last argument:
/// with one, the output comes from the tape's arena and the op is recorded when an input requires a gradient.
/// </summary>
public static partial class Activations
{
    /// <summary>y = x. Returns <paramref name="input"/> itself, so gradients flow through unchanged (as <c>nn.Identity</c>).</summary>
    public static Tensor Identity(Tensor input, Tape? tape = null)
    {
        ArgumentNullException.ThrowIfNull(input);
        return input;
    }

    private static Tensor MapUnary<TOp>(Tensor input, TOp op, Tape? tape) where TOp : struct, IUnaryOperator
    {
        ArgumentNullException.ThrowIfNull(input);
        var y = Tape.Allocate(tape, input.Shape, clear: false);
        ElementwiseLoop.Map(input.Span, y.Span, op);
        return y;
    }
}
