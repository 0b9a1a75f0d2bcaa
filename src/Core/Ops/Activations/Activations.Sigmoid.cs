using System.Numerics.Tensors;
using MLNetExt.Core.Autograd;
using MLNetExt.Core.Kernels;

namespace MLNetExt.Core.Ops;

public static partial class Activations
{
    /// <summary>The logistic function y = 1 / (1 + e⁻ˣ); dy/dx = y(1 − y). Shapes: [*] → [*].</summary>
    public static Tensor Sigmoid(Tensor input, Tape? tape = null)
    {
        ArgumentNullException.ThrowIfNull(input);
        var y = Tape.Allocate(tape, input.Shape, clear: false);
        TensorPrimitives.Sigmoid(input.Span, y.Span);
        if (Tape.ShouldRecord(tape, input)) tape!.Record(new TapeNode(SigmoidBackward.Instance, y, input));
        return y;
    }

    // Shapes: y [*], dY [*] → dX [*] += dY ⊙ y ⊙ (1 − y).
    private sealed class SigmoidBackward : IBackward
    {
        public static readonly SigmoidBackward Instance = new();
        public void Backward(Tape tape, in TapeNode node)
            => ElementwiseLoop.AccumulateMap(node.Output.Span, node.Output.Grad!.Span, Tape.GradOf(node.A!), default(SigmoidGradientOperator));
    }
}
