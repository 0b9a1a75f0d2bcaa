using MLNetExt.Core.Autograd;
using MLNetExt.Core.Kernels;

namespace MLNetExt.Core.Ops;

public static partial class Activations
{
    /// <summary>
    /// Leaky rectifier y = x for x &gt; 0, else <paramref name="negativeSlope"/>·x (PyTorch's default slope 0.01).
    /// Shapes: [*] → [*].
    /// </summary>
    public static Tensor LeakyRelu(Tensor input, float negativeSlope = 0.01f, Tape? tape = null)
    {
        var y = MapUnary(input, new LeakyReluOperator(negativeSlope), tape);
        if (Tape.ShouldRecord(tape, input)) tape!.Record(new TapeNode(LeakyReluBackward.Instance, y, input, FloatArg: negativeSlope));
        return y;
    }

    // Shapes: x [*], dY [*] → dX [*] += dY ⊙ (x > 0 ? 1 : slope).
    private sealed class LeakyReluBackward : IBackward
    {
        public static readonly LeakyReluBackward Instance = new();
        public void Backward(Tape tape, in TapeNode node)
            => ElementwiseLoop.AccumulateMap(node.A!.Span, node.Output.Grad!.Span, Tape.GradOf(node.A), new LeakyReluGradientOperator(node.FloatArg));
    }
}
