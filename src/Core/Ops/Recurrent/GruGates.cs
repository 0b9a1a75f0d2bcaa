using System.Numerics;
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
    // Shapes: gates [3H] (in: W_ir x + W_hr h, W_iz x + W_hz h, W_in x; out: r, z, n), bias [3H] (b_ir + b_hr,
    // b_iz + b_hz, b_in; or null), hiddenBias [H] (b_hn) or null, hPrev [H] (may be h itself: each element is read
    // before it is written), hiddenN [H] (in: W_hn h; out: W_hn h + b_hn, kept for backward),
    // h [H] (out: h'). r and z in one pass, then n and h'; h' = n + z⊙(h − n), the same value as (1 − z)⊙n + z⊙h with one rounding less.
    public static void Forward(float* gates, float* bias, float* hiddenBias, float* hPrev, float* hiddenN, float* h, int hidden)
    {
        float* gr = gates, gz = gates + hidden, gn = gates + 2 * hidden;
        float* inputBiasN = bias == null ? null : bias + 2 * hidden;
        GateMath.SigmoidInPlace(gr, bias, 2 * hidden);
        int j = 0;
        if (Vector.IsHardwareAccelerated)
        {
            for (; j <= hidden - Vector<float>.Count; j += Vector<float>.Count)
            {
                var hn = Vector.Load(hiddenN + j);
                if (hiddenBias != null) hn += Vector.Load(hiddenBias + j);
                var xn = Vector.Load(gn + j);
                if (inputBiasN != null) xn += Vector.Load(inputBiasN + j);
                var n = GateMath.Tanh(Vector.FusedMultiplyAdd(Vector.Load(gr + j), hn, xn));
                Vector.Store(n, gn + j);
                Vector.Store(hn, hiddenN + j);
                Vector.Store(Vector.FusedMultiplyAdd(Vector.Load(gz + j), Vector.Load(hPrev + j) - n, n), h + j);
            }
        }
        for (; j < hidden; j++)
        {
            float hn = hiddenBias != null ? hiddenN[j] + hiddenBias[j] : hiddenN[j];
            float xn = inputBiasN != null ? gn[j] + inputBiasN[j] : gn[j];
            float n = GateMath.Tanh(MathF.FusedMultiplyAdd(gr[j], hn, xn));
            gn[j] = n;
            hiddenN[j] = hn;
            h[j] = MathF.FusedMultiplyAdd(gz[j], hPrev[j] - n, n);
        }
    }

    // Shapes: gates [3H] (in: r, z, n; out: input-side pre-activation gradients [dr, dz, dn]), hiddenN [H]
    // (in: W_hn h + b_hn; out: its gradient dn⊙r, the hidden-side gradient of the n gate), hPrev [H], dOutput [H],
    // dH [H] (in: dL/dh' carried from the next step; out: the direct part dh⊙z, onto which the GEMM adds).
    //   dh = dH + dOutput;  dn = dh⊙(1 − z)⊙(1 − n²);  dz = dh⊙(h − n)⊙z(1 − z);  dr = dn⊙hn⊙r(1 − r)
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
