using MLNetExt.Core.Autograd;
using MLNetExt.Core.Kernels;

namespace MLNetExt.Core.Ops;

public static partial class Activations
{
    /// <summary>
    /// Parametric ReLU y = x for x &gt; 0, else α_c·x, with a learned slope per channel (dimension 1) or one shared slope.
    /// Shapes: input [N, C, *] (any shape when the weight has one element), weight [1] or [C] → [N, C, *].
    /// Gradients: dX = dY ⊙ (x &gt; 0 ? 1 : α_c); dα_c = Σ over the channel of [x ≤ 0]·x·dY.
    /// </summary>
    /// <exception cref="ArgumentException">The weight is not [1] or [C] for an input with C channels in dimension 1.</exception>
    public static Tensor Prelu(Tensor input, Tensor weight, Tape? tape = null)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(weight);
        int channels = weight.Length;
        if (weight.Rank != 1 || channels == 0 || (channels > 1 && (input.Rank < 2 || input.Dim(1) != channels)))
            throw new ArgumentException(
                $"PReLU weight [{string.Join(", ", weight.Shape.ToArray())}] must be [1] or [C] with C = input dimension 1, but the input is [{string.Join(", ", input.Shape.ToArray())}].",
                nameof(weight));
        var y = Tape.Allocate(tape, input.Shape, clear: false);
        int inner = PreluInnerSize(input, channels);
        var x = input.Span;
        var ys = y.Span;
        var alpha = weight.Span;
        for (int start = 0, c = 0; start < x.Length; start += inner, c = (c + 1) % channels)
            ElementwiseLoop.Map(x.Slice(start, inner), ys.Slice(start, inner), new LeakyReluOperator(alpha[c]));
        if (Tape.ShouldRecord(tape, input, weight)) tape!.Record(new TapeNode(PreluBackward.Instance, y, input, weight));
        return y;
    }

    // One slope covers the whole tensor; with C slopes each contiguous block [N, c, *] has the size of dims 2.. .
    private static int PreluInnerSize(Tensor input, int channels)
    {
        if (channels == 1) return Math.Max(input.Length, 1);
        int inner = 1;
        for (int d = 2; d < input.Rank; d++) inner *= input.Dim(d);
        return inner;
    }

    // Shapes: x [N, C, *], α [C] or [1], dY [N, C, *] → dX [N, C, *] += dY ⊙ (x > 0 ? 1 : α_c); dα [C] += Σ [x ≤ 0]·x·dY.
    private sealed class PreluBackward : IBackward
    {
        public static readonly PreluBackward Instance = new();
        public void Backward(Tape tape, in TapeNode node)
        {
            Tensor input = node.A!, weight = node.B!;
            int channels = weight.Length;
            int inner = PreluInnerSize(input, channels);
            var x = input.Span;
            var dy = node.Output.Grad!.Span;
            var alpha = weight.Span;
            var dX = input.RequiresGrad ? Tape.GradOf(input) : default;
            var dAlpha = weight.RequiresGrad ? Tape.GradOf(weight) : default;
            for (int start = 0, c = 0; start < x.Length; start += inner, c = (c + 1) % channels)
            {
                var xBlock = x.Slice(start, inner);
                var dyBlock = dy.Slice(start, inner);
                if (input.RequiresGrad) ElementwiseLoop.AccumulateMap(xBlock, dyBlock, dX.Slice(start, inner), new LeakyReluGradientOperator(alpha[c]));
                if (weight.RequiresGrad) dAlpha[c] += ElementwiseLoop.SumMap(xBlock, dyBlock, default(PreluWeightGradientOperator));
            }
        }
    }
}
