using MLNetExt.Core.Autograd;
using MLNetExt.Core.Kernels;

namespace MLNetExt.Core.Ops;

public static partial class Activations
{
    /// <summary>The rectifier y = max(x, 0); dy/dx = [x &gt; 0] (0 at the kink, as PyTorch). Shapes: [*] → [*].</summary>
    public static Tensor Relu(Tensor input, Tape? tape = null)
    {
        ArgumentNullException.ThrowIfNull(input);
        var y = Tape.Allocate(tape, input.Shape, clear: false);
        ElementwiseLoop.Map(input.Span, y.Span, default(ReluOperator));
        if (Tape.ShouldRecord(tape, input)) tape!.Record(new TapeNode(ReluBackward.Instance, y, input));
        return y;
    }

    // Shapes: x [*], dY [*] → dX [*] += dY ⊙ [x > 0].
    private sealed class ReluBackward : IBackward
    {
        public static readonly ReluBackward Instance = new();
        public void Backward(Tape tape, in TapeNode node)
            => ElementwiseLoop.AccumulateMap(node.A!.Span, node.Output.Grad!.Span, Tape.GradOf(node.A), default(ReluGradientOperator));
    }
}
