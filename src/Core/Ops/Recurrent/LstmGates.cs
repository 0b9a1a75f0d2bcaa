using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using MLNetExt.Core.Kernels;

namespace MLNetExt.Core.Ops.Recurrent;

/// <summary>
/// The fused point-wise part of one LSTM step for one batch row (PyTorch's gate order i, f, g, o):
/// <code>
/// [i, f, g, o] = [σ, σ, tanh, σ](xW_ihᵀ + b_ih + hW_hhᵀ + b_hh)
/// c' = f⊙c + i⊙g
/// h' = o⊙tanh(c')
/// </code>
/// </summary>
internal static unsafe class LstmGates
{
    // Shapes: gates [4H] (in: xW_ihᵀ + hW_hhᵀ, out: i, f, g, o), bias [4H] (b_ih + b_hh, or null),
    // c [H] (in: c, out: c'), tanhC [H] (out: tanh c'), h [H] (out: h'). Plain passes over the row, whose iterations
    // are independent and overlap in the core; one fused loop would chain five evaluations per element.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Forward(float* gates, float* bias, float* c, float* tanhC, float* h, int hidden)
    {
        float* gi = gates, gf = gates + hidden, gg = gates + 2 * hidden, go = gates + 3 * hidden;
        GateMath.Sigmoid(gi, bias, gi, 2 * hidden);
        GateMath.Tanh(gg, bias == null ? null : bias + 2 * hidden, gg, hidden);
        GateMath.Sigmoid(go, bias == null ? null : bias + 3 * hidden, go, hidden);
        var cell = new Span<float>(c, hidden);
        TensorPrimitives.Multiply(new ReadOnlySpan<float>(gf, hidden), cell, cell);
        TensorPrimitives.FusedMultiplyAdd(new ReadOnlySpan<float>(gi, hidden), new ReadOnlySpan<float>(gg, hidden), cell, cell);
        GateMath.Tanh(c, null, tanhC, hidden);
        TensorPrimitives.Multiply(new ReadOnlySpan<float>(go, hidden), new ReadOnlySpan<float>(tanhC, hidden), new Span<float>(h, hidden));
    }

    // Shapes: gates [4H] (in: i, f, g, o; out: dPre, the gradient of the pre-activations), tanhC [H], cPrev [H],
    // dOutput [H] (dL/dh' from the layer output), dH [H] (in: dL/dh' carried from the next step; out: 0, so the
    // recurrent GEMM can accumulate dh into it), dC [H] (in: dL/dc'; out: dL/dc).
    //   dh = dH + dOutput;  dc = dC + dh⊙o⊙(1 − tanh²c')
    //   dPre = [dc⊙g⊙i(1−i), dc⊙c⊙f(1−f), dc⊙i⊙(1−g²), dh⊙tanh c'⊙o(1−o)];  dC = dc⊙f
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Backward(float* gates, float* tanhC, float* cPrev, float* dOutput, float* dH, float* dC, int hidden)
    {
        float* gi = gates, gf = gates + hidden, gg = gates + 2 * hidden, go = gates + 3 * hidden;
        int j = 0;
        if (Vector.IsHardwareAccelerated)
        {
            var one = Vector<float>.One;
            for (; j <= hidden - Vector<float>.Count; j += Vector<float>.Count)
            {
                var dh = Vector.Load(dH + j) + Vector.Load(dOutput + j);
                var tc = Vector.Load(tanhC + j);
                Vector<float> i = Vector.Load(gi + j), f = Vector.Load(gf + j), g = Vector.Load(gg + j), o = Vector.Load(go + j);
                var dc = Vector.Load(dC + j) + dh * o * (one - tc * tc);
                Vector.Store(dc * g * i * (one - i), gi + j);
                Vector.Store(dc * Vector.Load(cPrev + j) * f * (one - f), gf + j);
                Vector.Store(dc * i * (one - g * g), gg + j);
                Vector.Store(dh * tc * o * (one - o), go + j);
                Vector.Store(dc * f, dC + j);
                Vector.Store(Vector<float>.Zero, dH + j);
            }
        }
        for (; j < hidden; j++)
        {
            float dh = dH[j] + dOutput[j], tc = tanhC[j];
            float i = gi[j], f = gf[j], g = gg[j], o = go[j];
            float dc = dC[j] + dh * o * (1f - tc * tc);
            gi[j] = dc * g * i * (1f - i);
            gf[j] = dc * cPrev[j] * f * (1f - f);
            gg[j] = dc * i * (1f - g * g);
            go[j] = dh * tc * o * (1f - o);
            dC[j] = dc * f;
            dH[j] = 0f;
        }
    }
}
