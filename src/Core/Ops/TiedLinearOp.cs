using System.Numerics.Tensors;
using MLNetExt.Core.Autograd;
using MLNetExt.Core.Kernels;

namespace MLNetExt.Core.Ops;

/// <summary>
/// The affine map of a tied-weight decoder: y = x·W + b, with W the weight [out, in] of a <c>torch.nn.Linear</c>
/// used untransposed, so the map runs that layer's direction backwards (out → in).
/// </summary>
public static class TiedLinearOp
{
    /// <summary>
    /// Shapes: x [N, out], weight [out, in], bias [in] or null → y [N, in].
    /// </summary>
    /// <remarks>Gradients: dX = dY·Wᵀ; dW = Xᵀ·dY; db = Σ over rows of dY.</remarks>
    /// <exception cref="ArgumentException">The weight is not a matrix, x is not [N, out], or the bias is not [in].</exception>
    public static Tensor Forward(Tensor x, Tensor weight, Tensor? bias, Tape? tape = null)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(weight);
        if (weight.Rank != 2)
            throw new ArgumentException($"A tied linear map needs a weight [out, in] but got {ShapeText.Of(weight)}.", nameof(weight));
        int outFeatures = weight.Dim(0), inFeatures = weight.Dim(1);
        if (x.Rank != 2 || x.Dim(1) != outFeatures)
            throw new ArgumentException($"A tied linear map with weight {ShapeText.Of(weight)} expects input [N, {outFeatures}] but got {ShapeText.Of(x)}.", nameof(x));
        if (bias is not null && (bias.Rank != 1 || bias.Dim(0) != inFeatures))
            throw new ArgumentException($"A tied linear map with weight {ShapeText.Of(weight)} needs a bias [{inFeatures}] but got {ShapeText.Of(bias)}.", nameof(bias));
        int n = x.Dim(0);
        var y = Tape.Allocate(tape, [n, inFeatures], clear: false);
        Gemm.Sgemm(false, false, n, inFeatures, outFeatures, 1f, x.Span, outFeatures, weight.Span, inFeatures, 0f, y.Span, inFeatures);
        if (bias is not null)
        {
            var ys = y.Span;
            for (int row = 0; row < n; row++)
            {
                var yRow = ys.Slice(row * inFeatures, inFeatures);
                TensorPrimitives.Add(yRow, bias.Span, yRow);
            }
        }
        if (Tape.ShouldRecord(tape, x, weight, bias)) tape!.Record(new TapeNode(TiedLinearBackward.Instance, y, x, weight, bias));
        return y;
    }

    // Shapes: dY [N, in]; dX [N, out] += dY·Wᵀ; dW [out, in] += Xᵀ·dY; db [in] += Σ_rows dY.
    private sealed class TiedLinearBackward : IBackward
    {
        public static readonly TiedLinearBackward Instance = new();
        public void Backward(Tape tape, in TapeNode node)
        {
            Tensor x = node.A!, weight = node.B!;
            int n = x.Dim(0), outFeatures = weight.Dim(0), inFeatures = weight.Dim(1);
            var dy = node.Output.Grad!.Span;
            if (x.RequiresGrad)
                Gemm.Sgemm(false, true, n, outFeatures, inFeatures, 1f, dy, inFeatures, weight.Span, inFeatures, 1f, Tape.GradOf(x), outFeatures);
            if (weight.RequiresGrad)
                Gemm.Sgemm(true, false, outFeatures, inFeatures, n, 1f, x.Span, outFeatures, dy, inFeatures, 1f, Tape.GradOf(weight), inFeatures);
            if (node.C is { RequiresGrad: true } bias)
            {
                var db = Tape.GradOf(bias);
                for (int row = 0; row < n; row++)
                    TensorPrimitives.Add(db, dy.Slice(row * inFeatures, inFeatures), db);
            }
        }
    }
}
