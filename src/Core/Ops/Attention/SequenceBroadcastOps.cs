using System.Numerics.Tensors;
using MLNetExt.Core.Autograd;
using MLNetExt.Core.Kernels;

namespace MLNetExt.Core.Ops;

/// <summary>
/// Additions that broadcast over one axis of a batch of sequences [B, T, D]: one vector per sequence added at every
/// step (the query term U·q of additive attention), or one vector per position added in every sequence (positional
/// encodings).
/// </summary>
public static class SequenceBroadcastOps
{
    /// <summary>
    /// y[b, t, :] = x[b, t, :] + perSequence[b, :]. Shapes: x [B, T, D], perSequence [B, D] → y [B, T, D].
    /// Backward: dx += dy; dPerSequence[b] += Σ_t dy[b, t].
    /// </summary>
    /// <exception cref="ArgumentException">x is not rank 3, or perSequence is not [B, D].</exception>
    public static Tensor AddPerSequence(Tensor x, Tensor perSequence, Tape? tape = null)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(perSequence);
        if (x.Rank != 3)
            throw new ArgumentException($"AddPerSequence expects x [B, T, D] but got {ShapeText.Of(x)}.", nameof(x));
        if (perSequence.Rank != 2 || perSequence.Dim(0) != x.Dim(0) || perSequence.Dim(1) != x.Dim(2))
            throw new ArgumentException($"AddPerSequence expects perSequence [{x.Dim(0)}, {x.Dim(2)}] for x {ShapeText.Of(x)} but got {ShapeText.Of(perSequence)}.", nameof(perSequence));
        int batch = x.Dim(0), steps = x.Dim(1), width = x.Dim(2);
        var y = Tape.Allocate(tape, x.Shape, clear: false);
        for (int b = 0; b < batch; b++)
        {
            var row = perSequence.Span.Slice(b * width, width);
            for (int t = 0; t < steps; t++)
            {
                int offset = (b * steps + t) * width;
                TensorPrimitives.Add(x.Span.Slice(offset, width), row, y.Span.Slice(offset, width));
            }
        }
        if (Tape.ShouldRecord(tape, x, perSequence)) tape!.Record(new TapeNode(AddPerSequenceBackward.Instance, y, x, perSequence));
        return y;
    }

    /// <summary>
    /// y[b, t, :] = x[b, t, :] + table[t, :] for t &lt; T: the first T rows of a position table added to every
    /// sequence. Shapes: x [B, T, D], table [P, D] with P ≥ T → y [B, T, D]. Backward: dx += dy; when the table is
    /// learned, dTable[t] += Σ_b dy[b, t] (rows from T on get nothing).
    /// </summary>
    /// <exception cref="ArgumentException">x is not rank 3, or the table is not [P ≥ T, D].</exception>
    public static Tensor AddPerPosition(Tensor x, Tensor table, Tape? tape = null)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(table);
        if (x.Rank != 3)
            throw new ArgumentException($"AddPerPosition expects x [B, T, D] but got {ShapeText.Of(x)}.", nameof(x));
        if (table.Rank != 2 || table.Dim(1) != x.Dim(2) || table.Dim(0) < x.Dim(1))
            throw new ArgumentException($"AddPerPosition expects a table [P ≥ {x.Dim(1)}, {x.Dim(2)}] for x {ShapeText.Of(x)} but got {ShapeText.Of(table)}.", nameof(table));
        int batch = x.Dim(0), block = x.Dim(1) * x.Dim(2);
        var y = Tape.Allocate(tape, x.Shape, clear: false);
        var rows = table.Span[..block];
        for (int b = 0; b < batch; b++)
            TensorPrimitives.Add(x.Span.Slice(b * block, block), rows, y.Span.Slice(b * block, block));
        if (Tape.ShouldRecord(tape, x, table)) tape!.Record(new TapeNode(AddPerPositionBackward.Instance, y, x, table));
        return y;
    }

    // Shapes: dY [B, T, D] → dX [B, T, D] += dY; dPerSequence [B, D] += Σ_t dY[:, t].
    private sealed class AddPerSequenceBackward : IBackward
    {
        public static readonly AddPerSequenceBackward Instance = new();
        public void Backward(Tape tape, in TapeNode node)
        {
            Tensor x = node.A!, perSequence = node.B!;
            var dY = node.Output.Grad!.Span;
            if (x.RequiresGrad) TensorPrimitives.Add(Tape.GradOf(x), dY, Tape.GradOf(x));
            if (!perSequence.RequiresGrad) return;
            int batch = x.Dim(0), steps = x.Dim(1), width = x.Dim(2);
            var dR = Tape.GradOf(perSequence);
            for (int b = 0; b < batch; b++)
                ElementwiseLoop.AccumulateRows(dY.Slice(b * steps * width, steps * width), dR.Slice(b * width, width));
        }
    }

    // Shapes: dY [B, T, D] → dX [B, T, D] += dY; dTable[:T] += Σ_b dY[b].
    private sealed class AddPerPositionBackward : IBackward
    {
        public static readonly AddPerPositionBackward Instance = new();
        public void Backward(Tape tape, in TapeNode node)
        {
            Tensor x = node.A!, table = node.B!;
            var dY = node.Output.Grad!.Span;
            if (x.RequiresGrad) TensorPrimitives.Add(Tape.GradOf(x), dY, Tape.GradOf(x));
            if (!table.RequiresGrad) return;
            int batch = x.Dim(0), block = x.Dim(1) * x.Dim(2);
            var dTable = Tape.GradOf(table)[..block];
            for (int b = 0; b < batch; b++)
                TensorPrimitives.Add(dTable, dY.Slice(b * block, block), dTable);
        }
    }
}
