using MLNetExt.Core.Autograd;

namespace MLNetExt.Core.Ops;

public static partial class Activations
{
    /// <summary>
    /// Softmax over the last dimension: y = e^(x − max) / Σ e^(x − max) (the shift keeps it finite for any finite input);
    /// dX = y ⊙ (dY − Σ dY ⊙ y). Shapes: [*, C] → [*, C].
    /// </summary>
    /// <exception cref="ArgumentException">The input is a scalar (rank 0).</exception>
    public static Tensor Softmax(Tensor input, Tape? tape = null)
    {
        RequireLastDimension(input, nameof(Softmax));
        var y = Tape.Allocate(tape, input.Shape, clear: false);
        Kernels.Softmax.Forward(input.Span, y.Span, input.Dim(-1));
        if (Tape.ShouldRecord(tape, input)) tape!.Record(new TapeNode(SoftmaxBackward.Instance, y, input));
        return y;
    }

    /// <summary>
    /// Log-softmax over the last dimension: y = x − max − log Σ e^(x − max); dX = dY − e^y · Σ dY.
    /// Shapes: [*, C] → [*, C].
    /// </summary>
    /// <exception cref="ArgumentException">The input is a scalar (rank 0).</exception>
    public static Tensor LogSoftmax(Tensor input, Tape? tape = null)
    {
        RequireLastDimension(input, nameof(LogSoftmax));
        var y = Tape.Allocate(tape, input.Shape, clear: false);
        Kernels.LogSoftmax.Forward(input.Span, y.Span, input.Dim(-1));
        if (Tape.ShouldRecord(tape, input)) tape!.Record(new TapeNode(LogSoftmaxBackward.Instance, y, input));
        return y;
    }

    private static void RequireLastDimension(Tensor input, string op)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (input.Rank == 0)
            throw new ArgumentException($"{op} works over the last dimension and needs input of rank ≥ 1, but got a scalar.", nameof(input));
    }

    private sealed class SoftmaxBackward : IBackward
    {
        public static readonly SoftmaxBackward Instance = new();
        public void Backward(Tape tape, in TapeNode node)
            => Kernels.Softmax.Backward(node.Output.Span, node.Output.Grad!.Span, Tape.GradOf(node.A!), node.Output.Dim(-1));
    }

    private sealed class LogSoftmaxBackward : IBackward
    {
        public static readonly LogSoftmaxBackward Instance = new();
        public void Backward(Tape tape, in TapeNode node)
            => Kernels.LogSoftmax.Backward(node.Output.Span, node.Output.Grad!.Span, Tape.GradOf(node.A!), node.Output.Dim(-1));
    }
}
