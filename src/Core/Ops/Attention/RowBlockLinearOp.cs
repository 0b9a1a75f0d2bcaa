using MLNetExt.Core.Autograd;
using MLNetExt.Core.Kernels;

namespace MLNetExt.Core.Ops;

/// <summary>
/// A linear map through a block of rows of a larger weight: y = x·W[r₀:r₀+n]ᵀ + b[r₀:r₀+n]. MultiheadAttention keeps
/// its query, key and value projections stacked in one <c>in_proj_weight</c> [3E, E], as PyTorch does; when query,
/// key and value are different tensors each is projected through its own third, and the gradients land in that
/// third of the stacked parameter.
/// </summary>
internal static class RowBlockLinearOp
{
    // Shapes: x [N, in], weight [R, in], bias [R] or null, rows [firstRow, firstRow + rowCount) of R → y [N, rowCount].
    public static Tensor Forward(Tensor x, Tensor weight, Tensor? bias, int firstRow, int rowCount, Tape? tape)
    {
        int inFeatures = weight.Dim(1), n = x.Dim(0);
        var y = Tape.Allocate(tape, [n, rowCount], clear: false);
        Gemm.SgemmBiasRelu(false, true, n, rowCount, inFeatures, x.Span, inFeatures, weight.Span.Slice(firstRow * inFeatures, rowCount * inFeatures), inFeatures,
            bias is null ? default : bias.Span.Slice(firstRow, rowCount), relu: false, y.Span, rowCount);
        if (Tape.ShouldRecord(tape, x, weight, bias))
            tape!.Record(new TapeNode(RowBlockLinearBackward.Instance, y, x, weight, bias, IntArg: firstRow));
        return y;
    }

    // Shapes: dY [N, n]; dX [N, in] += dY·W_block; dW_block [n, in] += dYᵀ·X; db_block [n] += Σ_rows dY.
    private sealed class RowBlockLinearBackward : IBackward
    {
        public static readonly RowBlockLinearBackward Instance = new();
        public void Backward(Tape tape, in TapeNode node)
        {
            Tensor x = node.A!, weight = node.B!;
            int firstRow = node.IntArg, rowCount = node.Output.Dim(1), n = x.Dim(0), inFeatures = weight.Dim(1);
            var dY = node.Output.Grad!.Span;
            var block = weight.Span.Slice(firstRow * inFeatures, rowCount * inFeatures);
            if (x.RequiresGrad)
                Gemm.Sgemm(false, false, n, inFeatures, rowCount, 1f, dY, rowCount, block, inFeatures, 1f, Tape.GradOf(x), inFeatures);
            if (weight.RequiresGrad)
                Gemm.Sgemm(true, false, rowCount, inFeatures, n, 1f, dY, rowCount, x.Span, inFeatures, 1f,
                    Tape.GradOf(weight).Slice(firstRow * inFeatures, rowCount * inFeatures), inFeatures);
            if (node.C is { RequiresGrad: true } bias)
                ElementwiseLoop.AccumulateRows(dY[..(n * rowCount)], Tape.GradOf(bias).Slice(firstRow, rowCount));
        }
    }
}
