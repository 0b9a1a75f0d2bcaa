using MLNetExt.Core.Autograd;
using MLNetExt.Core.Kernels;

namespace MLNetExt.Core.Ops;

public static partial class Activations
{
    /// <summary>
    /// Softplus y = log(1 + e^(βx)) / β, and y = x where βx &gt; <paramref name="threshold"/> (PyTorch's linear cut-off);
    /// dy/dx = σ(βx), or 1 past the threshold. Shapes: [*] → [*].
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="beta"/> is not a positive finite number.</exception>
    public static Tensor Softplus(Tensor input, float beta = 1f, float threshold = 20f, Tape? tape = null)
    {
        if (!(beta > 0f) || float.IsInfinity(beta))
            throw new ArgumentOutOfRangeException(nameof(beta), beta, "Softplus needs a positive, finite beta.");
        var y = MapUnary(input, new SoftplusOperator(beta, threshold), tape);
        // TapeNode carries one float; the threshold travels bit-for-bit in IntArg so recording allocates nothing.
        if (Tape.ShouldRecord(tape, input))
            tape!.Record(new TapeNode(SoftplusBackward.Instance, y, input, IntArg: BitConverter.SingleToInt32Bits(threshold), FloatArg: beta));
        return y;
    }

    // Shapes: x [*], dY [*] → dX [*] += dY ⊙ (βx > threshold ? 1 : σ(βx)).
    private sealed class SoftplusBackward : IBackward
    {
        public static readonly SoftplusBackward Instance = new();
        public void Backward(Tape tape, in TapeNode node)
            => ElementwiseLoop.AccumulateMap(node.A!.Span, node.Output.Grad!.Span, Tape.GradOf(node.A),
                new SoftplusGradientOperator(node.FloatArg, BitConverter.Int32BitsToSingle(node.IntArg)));
    }
}
