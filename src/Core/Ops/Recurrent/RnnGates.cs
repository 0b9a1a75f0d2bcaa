using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using MLNetExt.Core.Kernels;

namespace MLNetExt.Core.Ops.Recurrent;

/// <summary>
/// The fused point-wise part of one Elman RNN step for one batch row: h' = φ(W_ih x + b_ih + W_hh h + b_hh) with
/// φ = tanh or relu.
/// </summary>
internal static unsafe class RnnGates
{
    // Shapes: gates [H] (in: xW_ihᵀ + hW_hhᵀ; out: h'), bias [H] (b_ih + b_hh, or null), h [H] (out: h').
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Forward(float* gates, float* bias, float* h, int hidden, bool relu)
    {
        var g = new Span<float>(gates, hidden);
        if (relu)
        {
            if (bias != null) TensorPrimitives.Add(g, new ReadOnlySpan<float>(bias, hidden), g);
            TensorPrimitives.Max(g, 0f, g);
        }
        else GateMath.Tanh(gates, bias, gates, hidden);
        g.CopyTo(new Span<float>(h, hidden));
    }

    // Shapes: gates [H] (in: h'; out: dPre), dOutput [H], dH [H] (in: dL/dh' carried; out: 0 for the GEMM to accumulate into).
    //   dPre = (dH + dOutput)⊙φ'(pre), with φ' = 1 − h'² (tanh) or [h' > 0] (relu).
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Backward(float* gates, float* dOutput, float* dH, int hidden, bool relu)
    {
        int j = 0;
        if (Vector.IsHardwareAccelerated)
        {
            for (; j <= hidden - Vector<float>.Count; j += Vector<float>.Count)
            {
                var dh = Vector.Load(dH + j) + Vector.Load(dOutput + j);
                var y = Vector.Load(gates + j);
                var slope = relu
                    ? Vector.ConditionalSelect(Vector.GreaterThan(y, Vector<float>.Zero), Vector<float>.One, Vector<float>.Zero)
                    : Vector<float>.One - y * y;
                Vector.Store(dh * slope, gates + j);
                Vector.Store(Vector<float>.Zero, dH + j);
            }
        }
        for (; j < hidden; j++)
        {
            float dh = dH[j] + dOutput[j], y = gates[j];
            gates[j] = dh * (relu ? (y > 0f ? 1f : 0f) : 1f - y * y);
            dH[j] = 0f;
        }
    }
}
