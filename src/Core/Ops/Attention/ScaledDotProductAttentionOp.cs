using System.Numerics.Tensors;
using MLNetExt.Core.Autograd;
using MLNetExt.Core.Kernels;

namespace MLNetExt.Core.Ops;

/// <summary>
/// The heart of multi-head attention, fused: for every sequence b and head h,
/// P = masked_softmax(Q_bh·K_bhᵀ/√d_h + mask), then dropout on P, then O_bh = P·V_bh, written into its head's
/// columns of the output. One node on the tape, with a hand-written backward.
/// </summary>
/// <remarks>
/// <para>Shapes (B batch, L query steps, S key steps, E = H·d_h): q [B·L, ·], k and v [B·S, ·], projected rows
/// holding head h of Q in columns [q₀ + h·d_h, q₀ + (h + 1)·d_h) (likewise K from k₀, V from v₀); output [B, L, E].
/// Q, K and V are read in place from the projection's output with row strides, and Kᵀ is a GEMM flag, so no head
/// is ever copied out. When q, k and v are the same tensor it is the stacked projection [B·L, 3E] of
/// self-attention (q₀ = 0, k₀ = E, v₀ = 2E); when only k and v are, it is [B·S, 2E] (k₀ = 0, v₀ = E).</para>
/// <para>Masks: position s is excluded for query l of sequence b when keyPaddingMask[b, s] is true, when
/// causal and s &gt; l, or where the additive mask [L, S] holds −∞ (its finite entries are added to the scores).
/// Excluded positions get probability 0 and no gradient (see <see cref="MaskedSoftmax"/>); a query with every
/// position excluded outputs zeros.</para>
/// <para>Backward per (b, h), with P' = P⊙M the dropped probabilities (M the dropout mask, scaled by 1/(1 − p)):
/// dV += P'ᵀ·dO; dP = (dO·Vᵀ)⊙M; dS = P⊙(dP − rowsum(dP⊙P)); dQ += dS·K/√d_h; dK += dSᵀ·Q/√d_h.
/// Different (b, h) pairs write disjoint blocks of every gradient, so they run in parallel.</para>
/// <para>The workspace (an arena tensor saved on the node) is [P: B·H·L·S | M: B·H·L·S with dropout | scratch:
/// workers·L·S].</para>
/// </remarks>
internal sealed unsafe class ScaledDotProductAttentionOp : IBackward
{
    private readonly int _heads;
    private readonly RandomSource _random;

    public ScaledDotProductAttentionOp(int heads, RandomSource random)
    {
        _heads = heads;
        _random = random;
    }

    /// <summary>Runs attention (shapes in the class remarks); <paramref name="dropout"/> is the drop probability to apply (0 for none).</summary>
    public Tensor Forward(Tensor q, Tensor k, Tensor v, int batch, int embed, ReadOnlySpan<bool> keyPaddingMask, Tensor? attnMask,
        bool causal, float dropout, AttentionWeightsMode weightsMode, out Tensor? weights, Tape? tape)
    {
        var g = Geometry.Of(q, k, v, batch, embed, _heads);
        int block = g.L * g.S;
        int pairs = batch * _heads;
        int workers = BatchParallel.WorkerCount(pairs, 2L * block * g.HeadDim);
        long probabilitiesLength = (long)pairs * block;
        long workspaceLength = probabilitiesLength * (dropout > 0f ? 2 : 1) + (long)workers * block;
        if (workspaceLength > Array.MaxLength)
            throw new ArgumentException($"Attention over {batch} sequences, {_heads} heads, {g.L} queries and {g.S} keys needs more scratch than an array holds.", nameof(q));
        var workspace = Tape.Allocate(tape, [(int)workspaceLength], clear: false);
        var output = Tape.Allocate(tape, [batch, g.L, embed], clear: false);
        // Drawn in order on this thread, so the masks depend on the seed only, not on the thread count.
        if (dropout > 0f) _random.FillDropoutMask(workspace.Span.Slice((int)probabilitiesLength, (int)probabilitiesLength), dropout);

        fixed (float* pq = q.Data, pk = k.Data, pv = v.Data, po = output.Data, pw = workspace.Data)
        fixed (bool* padding = keyPaddingMask)
        fixed (float* additive = attnMask is null ? null : attnMask.Data)
        {
            var job = new ForwardJob
            {
                G = g, Heads = _heads, Q = pq, K = pk, V = pv, Output = po, Probabilities = pw,
                Mask = dropout > 0f ? pw + probabilitiesLength : null,
                Scratch = pw + probabilitiesLength * (dropout > 0f ? 2 : 1),
                KeyPadding = keyPaddingMask.IsEmpty ? null : padding, Additive = additive, Causal = causal,
            };
            BatchParallel.For(workers, pairs, job);
        }
        weights = weightsMode == AttentionWeightsMode.None ? null
            : CollectWeights(workspace, dropout > 0f, batch, g, weightsMode == AttentionWeightsMode.Averaged, tape);
        if (Tape.ShouldRecord(tape, q, k, v))
            tape!.Record(new TapeNode(this, output, q, k, v, FloatArg: dropout, Saved: workspace));
        return output;
    }

    // Shapes: P [B, H, L, S] (times the dropout mask when there is one, as PyTorch returns the dropped weights)
    //   → weights [B, L, S] = Σ_h P[:, h] / H, or [B, H, L, S].
    private Tensor CollectWeights(Tensor workspace, bool dropped, int batch, in Geometry g, bool averaged, Tape? tape)
    {
        int block = g.L * g.S, length = batch * _heads * block;
        var probabilities = workspace.Span[..length];
        var weights = Tape.Allocate(tape, averaged ? [batch, g.L, g.S] : [batch, _heads, g.L, g.S], clear: averaged);
        if (!averaged)
        {
            if (dropped) TensorPrimitives.Multiply(probabilities, workspace.Span.Slice(length, length), weights.Span);
            else probabilities.CopyTo(weights.Span);
            return weights;
        }
        for (int b = 0; b < batch; b++)
        {
            var sum = weights.Span.Slice(b * block, block);
            for (int h = 0; h < _heads; h++)
            {
                int offset = (b * _heads + h) * block;
                if (dropped) TensorPrimitives.FusedMultiplyAdd(probabilities.Slice(offset, block), workspace.Span.Slice(length + offset, block), sum, sum);
                else TensorPrimitives.Add(sum, probabilities.Slice(offset, block), sum);
            }
            TensorPrimitives.Divide(sum, (float)_heads, sum);
        }
        return weights;
    }

    void IBackward.Backward(Tape tape, in TapeNode node)
    {
        Tensor q = node.A!, k = node.B!, v = node.C!, output = node.Output, workspace = node.Saved!;
        int batch = output.Dim(0), embed = output.Dim(2);
        var g = Geometry.Of(q, k, v, batch, embed, _heads);
        int block = g.L * g.S, pairs = batch * _heads;
        bool dropped = node.FloatArg > 0f;
        long probabilitiesLength = (long)pairs * block;
        long scratchStart = probabilitiesLength * (dropped ? 2 : 1);
        // The thread count may have changed since the forward: never use more workers than it left scratch for.
        int workers = Math.Min(BatchParallel.WorkerCount(pairs, 2L * block * g.HeadDim), Math.Max(1, (int)((workspace.Length - scratchStart) / Math.Max(block, 1))));
        fixed (float* pq = q.Data, pk = k.Data, pv = v.Data, pw = workspace.Data, dOut = output.Grad!.Data)
        fixed (float* dq = q.RequiresGrad ? q.EnsureGrad().Data : null, dk = k.RequiresGrad ? k.EnsureGrad().Data : null, dv = v.RequiresGrad ? v.EnsureGrad().Data : null)
        {
            var job = new BackwardJob
            {
                G = g, Heads = _heads, Q = pq, K = pk, V = pv, Probabilities = pw,
                Mask = dropped ? pw + probabilitiesLength : null, Scratch = pw + scratchStart,
                OutputGradient = dOut, QueryGradient = dq, KeyGradient = dk, ValueGradient = dv,
            };
            BatchParallel.For(workers, pairs, job);
        }
    }

    /// <summary>Sizes and strides of one call: where each head's Q, K and V columns start and how far apart rows are.</summary>
    internal readonly record struct Geometry(int L, int S, int Embed, int HeadDim, int QueryStride, int KeyStride, int ValueStride,
        int QueryOffset, int KeyOffset, int ValueOffset, float Scale)
    {
        public static Geometry Of(Tensor q, Tensor k, Tensor v, int batch, int embed, int heads)
        {
            int headDim = embed / heads;
            int keyOffset = ReferenceEquals(q, k) ? embed : 0;
            int valueOffset = ReferenceEquals(q, v) ? 2 * embed : ReferenceEquals(k, v) ? embed : 0;
            return new Geometry(q.Dim(0) / batch, k.Dim(0) / batch, embed, headDim, q.Dim(1), k.Dim(1), v.Dim(1),
                0, keyOffset, valueOffset, 1f / MathF.Sqrt(headDim));
        }

        /// <summary>The span over <paramref name="rows"/> rows of <paramref name="cols"/> columns with row stride <paramref name="stride"/>.</summary>
        public static Span<float> Rows(float* start, int rows, int cols, int stride) => new(start, rows == 0 ? 0 : (rows - 1) * stride + cols);
    }

    private struct ForwardJob : IBatchJob
    {
        public Geometry G;
        public int Heads;
        public float* Q, K, V, Output, Probabilities, Mask, Scratch, Additive;
        public bool* KeyPadding;
        public bool Causal;

        // Per (b, h): P = masked_softmax(scale·Q_bh·K_bhᵀ + mask) [L, S]; O_bh [L, d_h] = (P⊙M)·V_bh.
        public readonly void Run(int worker, int start, int end)
        {
            int l = G.L, s = G.S, d = G.HeadDim, block = l * s;
            var scratch = new Span<float>(Scratch + (long)worker * block, block);
            for (int pair = start; pair < end; pair++)
            {
                int b = pair / Heads, h = pair % Heads;
                float* queries = Q + (long)b * l * G.QueryStride + G.QueryOffset + h * d;
                float* keys = K + (long)b * s * G.KeyStride + G.KeyOffset + h * d;
                float* values = V + (long)b * s * G.ValueStride + G.ValueOffset + h * d;
                var probabilities = new Span<float>(Probabilities + (long)pair * block, block);
                Gemm.Sgemm(false, true, l, s, d, G.Scale, Geometry.Rows(queries, l, d, G.QueryStride), G.QueryStride,
                    Geometry.Rows(keys, s, d, G.KeyStride), G.KeyStride, 0f, probabilities, s);
                for (int row = 0; row < l; row++)
                {
                    var scores = probabilities.Slice(row * s, s);
                    if (Additive != null) TensorPrimitives.Add(scores, new ReadOnlySpan<float>(Additive + (long)row * s, s), scores);
                    if (KeyPadding != null)
                        for (int j = 0; j < s; j++)
                            if (KeyPadding[(long)b * s + j]) scores[j] = float.NegativeInfinity;
                    if (Causal && row + 1 < s) scores[(row + 1)..].Fill(float.NegativeInfinity);
                    MaskedSoftmax.ForwardRow(scores);
                }
                ReadOnlySpan<float> applied = probabilities;
                if (Mask != null)
                {
                    TensorPrimitives.Multiply(probabilities, new ReadOnlySpan<float>(Mask + (long)pair * block, block), scratch);
                    applied = scratch;
                }
                Gemm.Sgemm(false, false, l, d, s, 1f, applied, s, Geometry.Rows(values, s, d, G.ValueStride), G.ValueStride, 0f,
                    Geometry.Rows(Output + (long)b * l * G.Embed + h * d, l, d, G.Embed), G.Embed);
            }
        }
    }

    private struct BackwardJob : IBatchJob
    {
        public Geometry G;
        public int Heads;
        public float* Q, K, V, Probabilities, Mask, Scratch, OutputGradient, QueryGradient, KeyGradient, ValueGradient;

        // Per (b, h), shapes: P, M, dP [L, S]; dO_bh [L, d_h]; dV_bh [S, d_h] += (P⊙M)ᵀ·dO_bh;
        // dS = P⊙(dP − rowsum(dP⊙P)) with dP = (dO_bh·V_bhᵀ)⊙M; dQ_bh [L, d_h] += scale·dS·K_bh; dK_bh [S, d_h] += scale·dSᵀ·Q_bh.
        public readonly void Run(int worker, int start, int end)
        {
            int l = G.L, s = G.S, d = G.HeadDim, block = l * s;
            var scratch = new Span<float>(Scratch + (long)worker * block, block);
            for (int pair = start; pair < end; pair++)
            {
                int b = pair / Heads, h = pair % Heads;
                long queryStart = (long)b * l * G.QueryStride + G.QueryOffset + h * d;
                long keyStart = (long)b * s * G.KeyStride + G.KeyOffset + h * d;
                long valueStart = (long)b * s * G.ValueStride + G.ValueOffset + h * d;
                var probabilities = new ReadOnlySpan<float>(Probabilities + (long)pair * block, block);
                var mask = Mask == null ? default : new ReadOnlySpan<float>(Mask + (long)pair * block, block);
                var outputGradient = Geometry.Rows(OutputGradient + (long)b * l * G.Embed + h * d, l, d, G.Embed);
                if (ValueGradient != null)
                {
                    ReadOnlySpan<float> applied = probabilities;
                    if (Mask != null)
                    {
                        TensorPrimitives.Multiply(probabilities, mask, scratch);
                        applied = scratch;
                    }
                    Gemm.Sgemm(true, false, s, d, l, 1f, applied, s, outputGradient, G.Embed, 1f,
                        Geometry.Rows(ValueGradient + valueStart, s, d, G.ValueStride), G.ValueStride);
                }
                if (QueryGradient == null && KeyGradient == null) continue;
                Gemm.Sgemm(false, true, l, s, d, 1f, outputGradient, G.Embed, Geometry.Rows(V + valueStart, s, d, G.ValueStride), G.ValueStride,
                    0f, scratch, s);
                if (Mask != null) TensorPrimitives.Multiply(scratch, mask, scratch);
                for (int row = 0; row < l; row++)
                    MaskedSoftmax.BackwardRowInPlace(probabilities.Slice(row * s, s), scratch.Slice(row * s, s));
                if (QueryGradient != null)
                    Gemm.Sgemm(false, false, l, d, s, G.Scale, scratch, s, Geometry.Rows(K + keyStart, s, d, G.KeyStride), G.KeyStride, 1f,
                        Geometry.Rows(QueryGradient + queryStart, l, d, G.QueryStride), G.QueryStride);
                if (KeyGradient != null)
                    Gemm.Sgemm(true, false, s, d, l, G.Scale, scratch, s, Geometry.Rows(Q + queryStart, l, d, G.QueryStride), G.QueryStride, 1f,
                        Geometry.Rows(KeyGradient + keyStart, s, d, G.KeyStride), G.KeyStride);
            }
        }
    }
}
