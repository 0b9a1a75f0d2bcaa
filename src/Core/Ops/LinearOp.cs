using MLNetExt.Core.Autograd;
using MLNetExt.Core.Kernels;

namespace MLNetExt.Core.Ops;

/// <summary>The affine map of <c>torch.nn.functional.linear</c>: y = x·Wᵀ + b.</summary>
public static class LinearOp
{
    /// <summary>
    /// Shapes: x [N, in], weight [out, in], bias [out] or null → y [N, out].
    /// </summary>
    public static Tensor Forward(Tensor x, Tensor weight, Tensor? bias, Tape? tape = null)
    {
        int inFeatures = weight.Dim(1), outFeatures = weight.Dim(0);
        if (x.Rank != 2 || x.Dim(1) != inFeatures)
            throw new ArgumentException($"Linear expects input [N, {inFeatures}] but got [{string.Join(", ", x.Shape.ToArray())}].", nameof(x));
        int n = x.Dim(0);
        var y = Tape.Allocate(tape, [n, outFeatures], clear: false);
        Gemm.Sgemm(false, true, n, outFeatures, inFeatures, 1f, x.Span, inFeatures, weight.Span, inFeatures, 0f, y.Span, outFeatures);
        if (bias is not null)
            ElementwiseLoop.AddToEachRow(y.Span, bias.Span);
        if (Tape.ShouldRecord(tape, x, weight, bias)) tape!.Record(new TapeNode(LinearBackward.Instance, y, x, weight, bias));
        return y;
    }

    // Shapes: dY [N, out]; dX [N, in] += dY·W; dW [out, in] += dYᵀ·X; db [out] += Σ_rows dY.
    private sealed class LinearBackward : IBackward
    {
        public static readonly LinearBackward Instance = new();
        public void Backward(Tape tape, in TapeNode node)
        {
            Tensor x = node.A!, weight = node.B!;
            int n = x.Dim(0), inFeatures = weight.Dim(1), outFeatures = weight.Dim(0);
            var dy = node.Output.Grad!.Span;
            if (x.RequiresGrad)
                Gemm.Sgemm(false, false, n, inFeatures, outFeatures, 1f, dy, outFeatures, weight.Span, inFeatures, 1f, Tape.GradOf(x), inFeatures);
            if (weight.RequiresGrad)
                Gemm.Sgemm(true, false, outFeatures, inFeatures, n, 1f, dy, outFeatures, x.Span, inFeatures, 1f, Tape.GradOf(weight), inFeatures);
            if (node.C is { RequiresGrad: true } bias)
                ElementwiseLoop.AccumulateRows(dy[..(n * outFeatures)], Tape.GradOf(bias));
        }
    }
}
