using System.Numerics.Tensors;

namespace MLNetExt.Core.Kernels;

/// <summary>
/// Fused log-softmax + negative log-likelihood with optional class weights and label smoothing, the kernel behind
/// <see cref="Losses.CrossEntropyLoss"/>. Per row i with target t (rows whose target is the ignore index contribute 0):
/// <code>
/// logp_c   = x_c − max − log Σ_k e^(x_k − max)
/// nll_i    = −w_t · logp_t
/// smooth_i = −Σ_c w_c · logp_c          (w ≡ 1 without class weights)
/// </code>
/// The loss combines them as (1 − ε)·nll + (ε/C)·smooth, each with its own normalizer under a mean reduction.
/// </summary>
/// <remarks>
/// Shapes: logits [N, C], targets [N], weight [C] or empty → probabilities [N, C], nll [N], smooth [N].
/// Backward, with per-row scales a_i (nll) and b_i (smooth) and W = Σ_c w_c:
/// <c>dLogits[i, j] += a_i·w_t·(p_j − [j = t]) + b_i·(W·p_j − w_j)</c>.
/// </remarks>
internal static class SoftmaxCrossEntropy
{
    /// <summary>Computes the softmax probabilities and the per-row nll and smoothing terms (both 0 for ignored rows).</summary>
    public static void Forward(ReadOnlySpan<float> logits, ReadOnlySpan<int> targets, ReadOnlySpan<float> weight, int classes,
        int ignoreIndex, bool withSmoothing, Span<float> probabilities, Span<float> nll, Span<float> smooth)
    {
        for (int row = 0; row < targets.Length; row++)
        {
            var xRow = logits.Slice(row * classes, classes);
            var pRow = probabilities.Slice(row * classes, classes);
            float max = TensorPrimitives.Max(xRow);
            TensorPrimitives.Subtract(xRow, max, pRow);
            int target = targets[row];
            float weightedShiftedSum = 0f;
            if (withSmoothing && target != ignoreIndex)
                weightedShiftedSum = weight.IsEmpty ? TensorPrimitives.Sum<float>(pRow) : TensorPrimitives.Dot(weight, pRow);
            float shiftedTarget = target == ignoreIndex ? 0f : pRow[target];
            TensorPrimitives.Exp(pRow, pRow);
            float sum = TensorPrimitives.Sum<float>(pRow);
            TensorPrimitives.Multiply(pRow, 1f / sum, pRow);
            if (target == ignoreIndex)
            {
                nll[row] = 0f;
                smooth[row] = 0f;
                continue;
            }
            float logSum = MathF.Log(sum);
            float targetWeight = weight.IsEmpty ? 1f : weight[target];
            nll[row] = -targetWeight * (shiftedTarget - logSum);
            if (withSmoothing)
            {
                float totalWeight = weight.IsEmpty ? classes : TensorPrimitives.Sum(weight);
                smooth[row] = logSum * totalWeight - weightedShiftedSum;
            }
            else smooth[row] = 0f;
        }
    }

    /// <summary>
    /// Accumulates dLogits. Row i's scales are <c>upstream[i]·nllScale</c> and <c>upstream[i]·smoothScale</c>, where
    /// <paramref name="upstream"/> has one entry per row (no reduction) or a single entry shared by all rows.
    /// </summary>
    public static void Backward(ReadOnlySpan<float> probabilities, ReadOnlySpan<int> targets, ReadOnlySpan<float> weight, int classes,
        int ignoreIndex, ReadOnlySpan<float> upstream, float nllScale, float smoothScale, Span<float> dLogits)
    {
        float totalWeight = weight.IsEmpty ? classes : TensorPrimitives.Sum(weight);
        for (int row = 0; row < targets.Length; row++)
        {
            int target = targets[row];
            if (target == ignoreIndex) continue;
            float g = upstream.Length == 1 ? upstream[0] : upstream[row];
            float a = g * nllScale * (weight.IsEmpty ? 1f : weight[target]);
            float b = g * smoothScale;
            var pRow = probabilities.Slice(row * classes, classes);
            var dRow = dLogits.Slice(row * classes, classes);
            TensorPrimitives.FusedMultiplyAdd(pRow, a + b * totalWeight, dRow, dRow);
            dRow[target] -= a;
            if (b == 0f) continue;
            if (weight.IsEmpty) TensorPrimitives.Subtract(dRow, b, dRow);
            else TensorPrimitives.FusedMultiplyAdd(weight, -b, dRow, dRow);
        }
    }
}
