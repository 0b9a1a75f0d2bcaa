using MLNetExt.Core.Autograd;
using MLNetExt.Core.Kernels;

namespace MLNetExt.Core.Ops;

public static partial class Activations
{
    /// <summary>
    /// Gaussian error linear unit. Exact: y = x·Φ(x), dy/dx = Φ(x) + x·φ(x). With <see cref="GeluApproximation.Tanh"/>:
    /// y = ½x(1 + tanh(√(2/π)(x + 0.044715x³))). Shapes: [*] → [*].
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="approximation"/> is not a defined value.</exception>
    public static Tensor Gelu(Tensor input, GeluApproximation approximation = GeluApproximation.None, Tape? tape = null)
    {
        Tensor y;
        IBackward backward;
        switch (approximation)
        {
            case GeluApproximation.None:
                y = MapUnary(input, default(GeluOperator), tape);
                backward = GeluBackward.Instance;
                break;
            case GeluApproximation.Tanh:
                y = MapUnary(input, default(GeluTanhOperator), tape);
                backward = GeluTanhBackward.Instance;
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(approximation), approximation, "Expected GeluApproximation.None or GeluApproximation.Tanh.");
        }
        if (Tape.ShouldRecord(tape, input)) tape!.Record(new TapeNode(backward, y, input));
        return y;
    }

    // Shapes: x [*], dY [*] → dX [*] += dY ⊙ (Φ(x) + x·φ(x)).
    private sealed class GeluBackward : IBackward
    {
        public static readonly GeluBackward Instance = new();
        public void Backward(Tape tape, in TapeNode node)
            => ElementwiseLoop.AccumulateMap(node.A!.Span, node.Output.Grad!.Span, Tape.GradOf(node.A), default(GeluGradientOperator));
    }

    // Shapes: x [*], dY [*] → dX [*] += dY ⊙ d/dx[½x(1 + tanh(u))].
    private sealed class GeluTanhBackward : IBackward
    {
        public static readonly GeluTanhBackward Instance = new();
        public void Backward(Tape tape, in TapeNode node)
            => ElementwiseLoop.AccumulateMap(node.A!.Span, node.Output.Grad!.Span, Tape.GradOf(node.A), default(GeluTanhGradientOperator));
    }
}
