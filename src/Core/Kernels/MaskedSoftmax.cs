using System.Numerics.Tensors;

namespace MLNetExt.Core.Kernels;

/// <summary>
/// Softmax over one row of attention scores in which excluded positions (padding, the future under a causal mask)
/// hold −∞. Excluded positions get exactly 0 and, since the backward multiplies by the probabilities, receive exactly
/// 0 gradient: padding never leaks into results or gradients.
/// </summary>
/// <remarks>
/// <para>A row with every position excluded has no distribution to speak of; PyTorch returns NaN there, which then
/// spreads through the whole batch's gradients. Such a row comes out all zeros here (an attention output of zero),
/// with zero gradient.</para>
/// <para>The element-wise work runs through <see cref="TensorPrimitives"/>, which has Vector512, Vector256 and
/// Vector128 forms and a scalar tail; the max shift keeps every exponent ≤ 0 (e^(−∞) = 0 exactly).</para>
/// </remarks>
internal static class MaskedSoftmax
{
    /// <summary>
    /// Effectively computes, in place, <c>row[j] = e^(row[j] − max) / Σₖ e^(row[k] − max)</c> with max over the row;
    /// entries of −∞ become 0, and a row of −∞ only becomes all zeros.
    /// </summary>
    public static void ForwardRow(Span<float> row)
    {
        if (row.IsEmpty) return;
        float max = TensorPrimitives.Max(row);
        if (float.IsNegativeInfinity(max))
        {
            row.Clear();
            return;
        }
        TensorPrimitives.Subtract(row, max, row);
        TensorPrimitives.Exp(row, row);
        TensorPrimitives.Multiply(row, 1f / TensorPrimitives.Sum<float>(row), row);
    }

    /// <summary>
    /// Effectively computes <c>dX[i] += y[i] · (dY[i] − Σⱼ dY[j] · y[j])</c> for one row of probabilities y: zero
    /// wherever y is zero, so excluded positions get no gradient.
    /// </summary>
    public static void BackwardRow(ReadOnlySpan<float> y, ReadOnlySpan<float> dY, Span<float> dX)
    {
        float dot = TensorPrimitives.Dot(dY, y);
        TensorPrimitives.FusedMultiplyAdd(y, dY, dX, dX);
        TensorPrimitives.FusedMultiplyAdd(y, -dot, dX, dX);
    }

    /// <summary>
    /// The same gradient written over the upstream gradient instead of accumulated:
    /// <c>gradient[i] = y[i] · (gradient[i] − Σⱼ gradient[j] · y[j])</c>.
    /// </summary>
    public static void BackwardRowInPlace(ReadOnlySpan<float> y, Span<float> gradient)
    {
        float dot = TensorPrimitives.Dot(gradient, y);
        TensorPrimitives.Subtract(gradient, dot, gradient);
        TensorPrimitives.Multiply(gradient, y, gradient);
    }
}
