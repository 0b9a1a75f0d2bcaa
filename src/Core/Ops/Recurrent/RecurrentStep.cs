using System.Runtime.CompilerServices;
using MLNetExt.Core.Kernels;

namespace MLNetExt.Core.Ops.Recurrent;

/// <summary>
/// The time loop of one layer and direction, split into chunks of batch rows. Rows never interact through time,
/// so each chunk runs every step of its rows on its own (its own recurrent GEMM and fused gate kernel per step) and
/// the whole loop costs one hand-out to the worker pool instead of one per step. Rows whose sequence has ended
/// (t ≥ length) keep their state and get no output.
/// </summary>
/// <remarks>
/// Storage is time-major: gates [T, B, G·H], hPrev [T, B, H] (the state each step started from, rows
/// <see cref="HPrevStride"/> apart, beside the saved layer input), and for an LSTM
/// cPrev and tanhC [T, B, H], for a GRU hiddenN [T, B, H]; step t of batch row b lives at row t·B + b. A step's
/// rows are then one contiguous block, which its GEMM and gate kernel stream through, and the input projection and
/// weight gradients are still single GEMMs over all T·B rows.
/// <para>The loops and the gate kernels are compiled fully optimized up front (AggressiveOptimization): they loop
/// over few rows per call, and tiered compilation left some of them at tier 0 well into training.</para>
/// </remarks>
internal unsafe struct RecurrentStep
{
    public RecurrentMode Mode;
    public int Batch, Steps, Hidden, Time, Chunks;

    /// <summary>Whether the loops run from the last step to the first (the backward direction of a bidirectional layer).</summary>
    public bool Reverse;
    public int* Lengths;
    public float* Gates, HPrev, CPrev, TanhC, HiddenN;
    public int HPrevStride;
    public float* H, C;

    /// <summary>The input-side bias folded with the hidden one, [G·H] (a GRU's b_hn apart), added by the gate kernels; or null.</summary>
    public float* InputBias;
    public float* HiddenBias;

    /// <summary>Whether forward keeps hPrev and cPrev for backward (only while a tape records).</summary>
    public bool SaveStates;

    /// <summary>GRU forward: per chunk a scratch of <see cref="ChunkRows"/> rows × 3H for h·W_hhᵀ, which stays apart
    /// from the gates because r multiplies its n part only.</summary>
    public float* HiddenSums;
    public int ChunkRows;

    /// <summary>
    /// The packed recurrent weight: W_hhᵀ [H, G·H] in forward; in backward W_hh [G·H, H], for a GRU only the r, z
    /// part W_hrz [2H, H], with <see cref="RecurrentWeightN"/> the n part W_hn [H, H].
    /// </summary>
    public GemmPackedPanels RecurrentWeight, RecurrentWeightN;

    /// <summary>Backward only: W_ih [G·H, W] packed, and dX [T, B, W] (row stride <see cref="InputWidth"/>) that each
    /// step adds dGates_t·W_ih to while the step's gate gradients are still in cache; null when no input gradient is wanted.</summary>
    public GemmPackedPanels InputWeight;
    public float* DX;
    public int InputWidth;
    public float* Output, DOutput;
    public int OutputStride;
    public float* DH, DC;

    private readonly int GateWidth => Mode switch { RecurrentMode.Lstm => 4, RecurrentMode.Gru => 3, _ => 1 } * Hidden;

    /// <summary>Runs <see cref="Forward"/> for every step in time order (reversed for <see cref="Reverse"/>) on one chunk of rows.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void ForwardAllSteps(in RecurrentStep s, int chunk)
    {
        var step = s;
        for (int i = 0; i < s.Steps; i++)
        {
            step.Time = s.Reverse ? s.Steps - 1 - i : i;
            Forward(in step, chunk);
        }
    }

    /// <summary>Runs <see cref="Backward"/> for every step against time order on one chunk of rows.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void BackwardAllSteps(in RecurrentStep s, int chunk)
    {
        var step = s;
        for (int i = s.Steps - 1; i >= 0; i--)
        {
            step.Time = s.Reverse ? s.Steps - 1 - i : i;
            Backward(in step, chunk);
        }
    }

    // Shapes: h [B, H], c [B, H] (state in/out), gates [T, B, G·H] (in: x·W_ihᵀ at step t; out:
    // activations), hiddenN [T, B, H] (GRU, out: W_hn h + b_hn), output [T, B, stride] (this direction's H columns).
    //   gates_t[rows] += h[rows]·W_hhᵀ   (GRU: hiddenSums[rows] = h[rows]·W_hhᵀ, added by the gate kernel)
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Forward(in RecurrentStep s, int chunk)
    {
        int r0 = chunk * s.Batch / s.Chunks, r1 = (chunk + 1) * s.Batch / s.Chunks;
        int hidden = s.Hidden, width = s.GateWidth, t = s.Time;
        for (int b = r0; b < r1 && s.SaveStates; b++)
        {
            long row = (long)t * s.Batch + b;
            var previous = new Span<float>(s.HPrev + row * s.HPrevStride, hidden);
            if (t < s.Lengths[b])
            {
                new ReadOnlySpan<float>(s.H + (long)b * hidden, hidden).CopyTo(previous);
                if (s.Mode == RecurrentMode.Lstm)
                    new ReadOnlySpan<float>(s.C + (long)b * hidden, hidden).CopyTo(new Span<float>(s.CPrev + row * hidden, hidden));
            }
            else previous.Clear();
        }
        int rows = r1 - r0;
        long first = (long)t * s.Batch + r0;
        var hRows = new ReadOnlySpan<float>(s.H + (long)r0 * hidden, rows * hidden);
        // Rows whose sequence has ended get sums too; nothing reads them and backward clears them.
        float* hiddenSums = s.HiddenSums + (long)chunk * s.ChunkRows * width;
        if (s.Mode == RecurrentMode.Gru)
            Gemm.SgemmPacked(false, rows, 1f, hRows, hidden, in s.RecurrentWeight, 0f, new Span<float>(hiddenSums, rows * width), width);
        else
            Gemm.SgemmPacked(false, rows, 1f, hRows, hidden, in s.RecurrentWeight, 1f,
                new Span<float>(s.Gates + first * width, rows * width), width);
        for (int b = r0; b < r1; b++)
        {
            long row = (long)t * s.Batch + b;
            float* output = s.Output + row * s.OutputStride;
            if (t >= s.Lengths[b])
            {
                new Span<float>(output, hidden).Clear();
                continue;
            }
            float* gates = s.Gates + row * width, h = s.H + (long)b * hidden;
            switch (s.Mode)
            {
                case RecurrentMode.Lstm:
                    LstmGates.Forward(gates, s.InputBias, s.C + (long)b * hidden, s.TanhC + row * hidden, h, hidden);
                    break;
                case RecurrentMode.Gru:
                    GruGates.Forward(gates, hiddenSums + (long)(b - r0) * width, s.InputBias, s.HiddenBias, h, s.HiddenN + row * hidden, h, hidden);
                    break;
                default:
                    RnnGates.Forward(gates, s.InputBias, h, hidden, s.Mode == RecurrentMode.RnnRelu);
                    break;
            }
            new ReadOnlySpan<float>(h, hidden).CopyTo(new Span<float>(output, hidden));
        }
    }

    // Shapes: dH, dC [B, H] (gradient of the state after step t in; before step t out), dOutput [T, B, stride],
    // gates [T, B, G·H] (in: activations; out: pre-activation gradients, zero at padded steps).
    //   dH[rows] += dGates_t[rows]·W_hh   (for a GRU the n block uses hiddenN's gradient dn⊙r instead)
    //   dX_t[rows] += dGates_t[rows]·W_ih  (when DX is set)
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Backward(in RecurrentStep s, int chunk)
    {
        int r0 = chunk * s.Batch / s.Chunks, r1 = (chunk + 1) * s.Batch / s.Chunks;
        int hidden = s.Hidden, width = s.GateWidth, t = s.Time;
        for (int b = r0; b < r1; b++)
        {
            long row = (long)t * s.Batch + b;
            float* gates = s.Gates + row * width;
            if (t >= s.Lengths[b])
            {
                new Span<float>(gates, width).Clear();
                if (s.Mode == RecurrentMode.Gru) new Span<float>(s.HiddenN + row * hidden, hidden).Clear();
                continue;
            }
            float* dOutput = s.DOutput + row * s.OutputStride, dH = s.DH + (long)b * hidden;
            switch (s.Mode)
            {
                case RecurrentMode.Lstm:
                    LstmGates.Backward(gates, s.TanhC + row * hidden, s.CPrev + row * hidden, dOutput, dH, s.DC + (long)b * hidden, hidden);
                    break;
                case RecurrentMode.Gru:
                    GruGates.Backward(gates, s.HiddenN + row * hidden, s.HPrev + row * s.HPrevStride, dOutput, dH, hidden);
                    break;
                default:
                    RnnGates.Backward(gates, dOutput, dH, hidden, s.Mode == RecurrentMode.RnnRelu);
                    break;
            }
        }
        int rows = r1 - r0;
        long first = (long)t * s.Batch + r0;
        var dHRows = new Span<float>(s.DH + (long)r0 * hidden, rows * hidden);
        if (s.Mode == RecurrentMode.Gru)
        {
            Gemm.SgemmPacked(false, rows, 1f,
                new ReadOnlySpan<float>(s.Gates + first * width, rows * width), width,
                in s.RecurrentWeight, 1f, dHRows, hidden);
            Gemm.SgemmPacked(false, rows, 1f,
                new ReadOnlySpan<float>(s.HiddenN + first * hidden, rows * hidden), hidden,
                in s.RecurrentWeightN, 1f, dHRows, hidden);
        }
        else
        {
            Gemm.SgemmPacked(false, rows, 1f,
                new ReadOnlySpan<float>(s.Gates + first * width, rows * width), width,
                in s.RecurrentWeight, 1f, dHRows, hidden);
        }
        if (s.DX != null)
            Gemm.SgemmPacked(false, rows, 1f, new ReadOnlySpan<float>(s.Gates + first * width, rows * width), width,
                in s.InputWeight, 1f, new Span<float>(s.DX + first * s.InputWidth, rows * s.InputWidth), s.InputWidth);
    }
}
