using System.Numerics.Tensors;
using MLNetExt.Core.Autograd;
using MLNetExt.Core.Kernels;

namespace MLNetExt.Core.Ops;

public static partial class Activations
{
    /// <summary>The hyperbolic tangent y = tanh(x); dy/dx = 1 − y². Shapes: [*] → [*].</summary>
    public static Tensor Tanh(Tensor input, Tape? tape = null)
    {
        ArgumentNullException.ThrowIfNull(input);
        var y = Tape.Allocate(tape, input.Shape, clear: false);
        TensorPrimitives.Tanh(input.Span, y.Span);
        if (Tape.ShouldRecord(tape, input)) tape!.Record(new TapeNode(TanhBackward.Instance, y, input));
        return y;
    }

    // Shapes: y [*], dY [*] → dX [*] += dY ⊙ (1 − y²).
    private sealed class TanhBackward : IBackward
    {
        public static readonly TanhBackward Instance = new();
        public void Backward(Tape tape, in TapeNode node)
            => ElementwiseLoop.AccumulateMap(node.Output.Span, node.Output.Grad!.Span, Tape.GradOf(node.A!), default(TanhGradientOperator));
    }
}
