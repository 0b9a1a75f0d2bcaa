using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using MLNetExt.Core.Kernels;

namespace MLNetExt.Core.Ops.Recurrent;

/// <summary>
/// The fused point-wise part of one GRU step for one batch row (PyTorch's gate order r, z, n):
/// <code>
/// r = σ(W_ir x + b_ir + W_hr h + b_hr)
/// z = σ(W_iz x + b_iz + W_hz h + b_hz)
/// n = tanh(W_in x + b_in + r⊙(W_hn h + b_hn))
/// h' = (1 − z)⊙n + z⊙h
/// </code>
/// </summary>
internal static unsafe class GruGates
{
    // Shapes: gates [3H] (in: W_ir x, W_iz x, W_in x; out: r, z, n), hiddenSums [3H] (W_hr h, W_hz h, W_hn h),
    // bias [3H] (b_ir + b_hr, b_iz + b_hz, b_in; or null), hiddenBias [H] (b_hn) or null, hPrev [H] (may be h itself:
    // each element is read before it is written), hiddenN [H] (out: W_hn h + b_hn, kept for backward), h [H] (out:
    // h'), in plain passes over the row; h' = n + z⊙(h − n), the same value as (1 − z)⊙n + z⊙h with one rounding less.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Forward(float* gates, float* hiddenSums, float* bias, float* hiddenBias, float* hPrev, float* hiddenN, float* h, int hidden)
    {
        float* gr = gates, gz = gates + hidden, gn = gates + 2 * hidden;
        var resetUpdate = new Span<float>(gr, 2 * hidden);
        TensorPrimitives.Add(resetUpdate, new ReadOnlySpan<float>(hiddenSums, 2 * hidden), resetUpdate);
        GateMath.Sigmoid(gr, bias, gr, 2 * hidden);
        var hn = new Span<float>(hiddenN, hidden);
        var candidate = new Span<float>(gn, hidden);
        var sumN = new ReadOnlySpan<float>(hiddenSums + 2 * hidden, hidden);
        if (hiddenBias != null) TensorPrimitives.Add(sumN, new ReadOnlySpan<float>(hiddenBias, hidden), hn);
        else sumN.CopyTo(hn);
        if (bias != null) TensorPrimitives.Add(candidate, new ReadOnlySpan<float>(bias + 2 * hidden, hidden), candidate);
        TensorPrimitives.FusedMultiplyAdd(new ReadOnlySpan<float>(gr, hidden), hn, candidate, candidate);
        GateMath.Tanh(gn, null, gn, hidden);
        var next = new Span<float>(h, hidden);
        TensorPrimitives.Subtract(new ReadOnlySpan<float>(hPrev, hidden), candidate, next);
        TensorPrimitives.FusedMultiplyAdd(new ReadOnlySpan<float>(gz, hidden), next, candidate, next);
    }

    // Shapes: gates [3H] (in: r, z, n; out: input-side pre-activation gradients [dr, dz, dn]), hiddenN [H]
    // (in: W_hn h + b_hn; out: its gradient dn⊙r, the hidden-side gradient of the n gate), hPrev [H], dOutput [H],
    // dH [H] (in: dL/dh' carried from the next step; out: the direct part dh⊙z, onto which the GEMM adds).
    //   dh = dH + dOutput;  dn = dh⊙(1 − z)⊙(1 − n²);  dz = dh⊙(h − n)⊙z(1 − z);  dr = dn⊙hn⊙r(1 − r)
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Backward(float* gates, float* hiddenN, float* hPrev, float* dOutput, float* dH, int hidden)
    {
        float* gr = gates, gz = gates + hidden, gn = gates + 2 * hidden;
        int j = 0;
        if (Vector.IsHardwareAccelerated)
        {
            var one = Vector<float>.One;
            for (; j <= hidden - Vector<float>.Count; j += Vector<float>.Count)
            {
                var dh = Vector.Load(dH + j) + Vector.Load(dOutput + j);
                Vector<float> r = Vector.Load(gr + j), z = Vector.Load(gz + j), n = Vector.Load(gn + j), hn = Vector.Load(hiddenN + j);
                var dn = dh * (one - z) * (one - n * n);
                Vector.Store(dn * hn * r * (one - r), gr + j);
                Vector.Store(dh * (Vector.Load(hPrev + j) - n) * z * (one - z), gz + j);
                Vector.Store(dn, gn + j);
                Vector.Store(dn * r, hiddenN + j);
                Vector.Store(dh * z, dH + j);
            }
        }
        for (; j < hidden; j++)
        {
            float dh = dH[j] + dOutput[j];
            float r = gr[j], z = gz[j], n = gn[j], hn = hiddenN[j];
            float dn = dh * (1f - z) * (1f - n * n);
            gr[j] = dn * hn * r * (1f - r);
            gz[j] = dh * (hPrev[j] - n) * z * (1f - z);
            gn[j] = dn;
            hiddenN[j] = dn * r;
            dH[j] = dh * z;
        }
    }
}
