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
        // The bias is added to each tile of the product as it is finished (bitwise the same as a separate pass).
        Gemm.SgemmBiasRelu(false, true, n, outFeatures, inFeatures, x.Span, inFeatures, weight.Span, inFeatures,
            bias is null ? default : bias.Span, relu: false, y.Span, outFeatures);
        if (Tape.ShouldRecord(tape, x, weight, bias)) tape!.Record(new TapeNode(LinearBackward.Instance, y, x, weight, bias));
        return y;
    }

    /// <summary>
    /// <c>relu(x·Wᵀ + b)</c>, the linear map and the rectifier in one pass over the output: bitwise what
    /// <see cref="Forward"/> followed by <see cref="Activations.Relu"/> computes, forward and backward (the rectifier's
    /// mask is read from the output, which is positive exactly where its input is). Shapes as <see cref="Forward"/>.
    /// </summary>
    public static Tensor ForwardRelu(Tensor x, Tensor weight, Tensor? bias, Tape? tape = null)
    {
        int inFeatures = weight.Dim(1), outFeatures = weight.Dim(0);
        if (x.Rank != 2 || x.Dim(1) != inFeatures)
            throw new ArgumentException($"Linear expects input [N, {inFeatures}] but got [{string.Join(", ", x.Shape.ToArray())}].", nameof(x));
        int n = x.Dim(0);
        var y = Tape.Allocate(tape, [n, outFeatures], clear: false);
        Gemm.SgemmBiasRelu(false, true, n, outFeatures, inFeatures, x.Span, inFeatures, weight.Span, inFeatures,
            bias is null ? default : bias.Span, relu: true, y.Span, outFeatures);
        if (Tape.ShouldRecord(tape, x, weight, bias))
        {
            // dL/d(x·Wᵀ + b), zero-filled like the gradient of the separate linear output it stands for.
            var preActivationGrad = tape!.Allocate([n, outFeatures], clear: true);
            tape.Record(new TapeNode(LinearReluBackward.Instance, y, x, weight, bias, Saved: preActivationGrad));
        }
        return y;
    }

    // Shapes: y [N, out], dY [N, out] → dZ = dY ⊙ [y > 0] accumulated into the zeroed buffer saved by the forward (as
    // the rectifier's backward accumulates into its input's gradient), then the linear backward of dZ.
    private sealed class LinearReluBackward : IBackward
    {
        public static readonly LinearReluBackward Instance = new();
        public void Backward(Tape tape, in TapeNode node)
        {
            var dz = node.Saved!.Span;
            ElementwiseLoop.AccumulateMap(node.Output.Span, node.Output.Grad!.Span, dz, default(ReluGradientOperator));
            LinearBackward.Apply(node, dz);
        }
    }

    // Shapes: dY [N, out]; dX [N, in] += dY·W; dW [out, in] += dYᵀ·X; db [out] += Σ_rows dY.
    private sealed class LinearBackward : IBackward
    {
        public static readonly LinearBackward Instance = new();
        public void Backward(Tape tape, in TapeNode node) => Apply(node, node.Output.Grad!.Span);

        public static void Apply(in TapeNode node, ReadOnlySpan<float> dy)
        {
            Tensor x = node.A!, weight = node.B!;
            int n = x.Dim(0), inFeatures = weight.Dim(1), outFeatures = weight.Dim(0);
            if (x.RequiresGrad)
                Gemm.Sgemm(false, false, n, inFeatures, outFeatures, 1f, dy, outFeatures, weight.Span, inFeatures, 1f, Tape.GradOf(x), inFeatures);
            if (weight.RequiresGrad)
                Gemm.Sgemm(true, false, outFeatures, inFeatures, n, 1f, dy, outFeatures, x.Span, inFeatures, 1f, Tape.GradOf(weight), inFeatures);
            if (node.C is { RequiresGrad: true } bias)
                ElementwiseLoop.AccumulateRows(dy[..(n * outFeatures)], Tape.GradOf(bias));
        }
    }
}
