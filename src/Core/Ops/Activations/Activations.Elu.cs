using MLNetExt.Core.Autograd;
using MLNetExt.Core.Kernels;

namespace MLNetExt.Core.Ops;

public static partial class Activations
{
    /// <summary>SELU's α, PyTorch's exact constant.</summary>
    public const float SeluAlpha = 1.6732632423543772f;

    /// <summary>SELU's scale λ, PyTorch's exact constant.</summary>
    public const float SeluScale = 1.0507009873554805f;

    /// <summary>
    /// Exponential linear unit y = x for x &gt; 0, else α(eˣ − 1); dy/dx = 1 or αeˣ. Shapes: [*] → [*].
    /// </summary>
    public static Tensor Elu(Tensor input, float alpha = 1f, Tape? tape = null)
    {
        var y = MapUnary(input, new EluOperator(alpha, 1f), tape);
        if (Tape.ShouldRecord(tape, input)) tape!.Record(new TapeNode(EluBackward.Instance, y, input, FloatArg: alpha));
        return y;
    }

    /// <summary>
    /// Scaled ELU y = λ·(x for x &gt; 0, else α(eˣ − 1)) with α = 1.6732632423543772, λ = 1.0507009873554805.
    /// Shapes: [*] → [*].
    /// </summary>
    public static Tensor Selu(Tensor input, Tape? tape = null)
    {
        var y = MapUnary(input, new EluOperator(SeluAlpha, SeluScale), tape);
        if (Tape.ShouldRecord(tape, input)) tape!.Record(new TapeNode(SeluBackward.Instance, y, input));
        return y;
    }

    // Shapes: x [*], dY [*] → dX [*] += dY ⊙ (x > 0 ? 1 : α·eˣ).
    private sealed class EluBackward : IBackward
    {
        public static readonly EluBackward Instance = new();
        public void Backward(Tape tape, in TapeNode node)
            => ElementwiseLoop.AccumulateMap(node.A!.Span, node.Output.Grad!.Span, Tape.GradOf(node.A), new EluGradientOperator(node.FloatArg, 1f));
    }

    // Shapes: x [*], dY [*] → dX [*] += dY ⊙ λ·(x > 0 ? 1 : α·eˣ).
    private sealed class SeluBackward : IBackward
    {
        public static readonly SeluBackward Instance = new();
        public void Backward(Tape tape, in TapeNode node)
            => ElementwiseLoop.AccumulateMap(node.A!.Span, node.Output.Grad!.Span, Tape.GradOf(node.A), new EluGradientOperator(SeluAlpha, SeluScale));
    }
}
