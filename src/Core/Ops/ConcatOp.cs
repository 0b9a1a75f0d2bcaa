using MLNetExt.Core.Autograd;

namespace MLNetExt.Core.Ops;

/// <summary>Concatenation of matrices, as <c>torch.cat</c>: along the last dimension (<see cref="Columns"/>) or the first (<see cref="Rows"/>).</summary>
public static class ConcatOp
{
    /// <summary>
    /// y = [a | b]: each row of <paramref name="a"/> followed by the same row of <paramref name="b"/>.
    /// Shapes: a [N, P], b [N, Q] → y [N, P + Q].
    /// </summary>
    /// <exception cref="ArgumentException">An operand is not a matrix, or the row counts differ.</exception>
    public static Tensor Columns(Tensor a, Tensor b, Tape? tape = null)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        if (a.Rank != 2 || b.Rank != 2 || a.Dim(0) != b.Dim(0))
            throw new ArgumentException($"ConcatOp.Columns needs two matrices with the same number of rows but got {ShapeText.Of(a)} and {ShapeText.Of(b)}.");
        int rows = a.Dim(0), p = a.Dim(1), q = b.Dim(1);
        var y = Tape.Allocate(tape, [rows, p + q], clear: false);
        var ys = y.Span;
        var aSpan = a.Span;
        var bSpan = b.Span;
        for (int r = 0; r < rows; r++)
        {
            aSpan.Slice(r * p, p).CopyTo(ys.Slice(r * (p + q), p));
            bSpan.Slice(r * q, q).CopyTo(ys.Slice(r * (p + q) + p, q));
        }
        if (Tape.ShouldRecord(tape, a, b)) tape!.Record(new TapeNode(ColumnsBackward.Instance, y, a, b));
        return y;
    }

    /// <summary>
    /// y = the rows of every part, in order (<c>torch.cat(parts, dim=0)</c>): e.g. T decoder steps of [B, H] each give
    /// [T·B, H], time-major, for one output projection over all steps.
    /// Shapes: parts[i] [Nᵢ, D] → y [Σ Nᵢ, D].
    /// </summary>
    /// <exception cref="ArgumentException">There is no part, a part is not a matrix, or the widths differ.</exception>
    public static Tensor Rows(IReadOnlyList<Tensor> parts, Tape? tape = null)
    {
        ArgumentNullException.ThrowIfNull(parts);
        if (parts.Count == 0)
            throw new ArgumentException("ConcatOp.Rows needs at least one part.", nameof(parts));
        int width = parts[0].Rank == 2 ? parts[0].Dim(1) : -1, rows = 0;
        foreach (var part in parts)
        {
            if (part.Rank != 2 || part.Dim(1) != width)
                throw new ArgumentException($"ConcatOp.Rows needs matrices of one width but got {ShapeText.Of(parts[0])} and {ShapeText.Of(part)}.", nameof(parts));
            rows += part.Dim(0);
        }
        var y = Tape.Allocate(tape, [rows, width], clear: false);
        int offset = 0;
        bool anyGrad = false;
        foreach (var part in parts)
        {
            part.Span.CopyTo(y.Span.Slice(offset, part.Length));
            offset += part.Length;
            anyGrad |= part.RequiresGrad;
        }
        if (tape is not null && tape.IsRecording && anyGrad)
            tape.Record(new TapeNode(RowsBackward.Instance, y, null, State: parts.ToArray()));
        return y;
    }

    // Shapes: dY [Σ Nᵢ, D] → dPartᵢ [Nᵢ, D] += its rows of dY.
    private sealed class RowsBackward : IBackward
    {
        public static readonly RowsBackward Instance = new();

        public void Backward(Tape tape, in TapeNode node)
        {
            var dy = node.Output.Grad!.Span;
            int offset = 0;
            foreach (var part in (Tensor[])node.State!)
            {
                if (part.RequiresGrad)
                    System.Numerics.Tensors.TensorPrimitives.Add(Tape.GradOf(part), dy.Slice(offset, part.Length), Tape.GradOf(part));
                offset += part.Length;
            }
        }
    }

    // Shapes: dY [N, P + Q] → dA [N, P] += dY[:, :P], dB [N, Q] += dY[:, P:].
    private sealed class ColumnsBackward : IBackward
    {
        public static readonly ColumnsBackward Instance = new();

        public void Backward(Tape tape, in TapeNode node)
        {
            var dy = node.Output.Grad!.Span;
            int rows = node.A!.Dim(0), p = node.A.Dim(1), q = node.B!.Dim(1);
            if (node.A.RequiresGrad)
            {
                var da = Tape.GradOf(node.A);
                for (int r = 0; r < rows; r++)
                    System.Numerics.Tensors.TensorPrimitives.Add(da.Slice(r * p, p), dy.Slice(r * (p + q), p), da.Slice(r * p, p));
            }
            if (node.B.RequiresGrad)
            {
                var db = Tape.GradOf(node.B);
                for (int r = 0; r < rows; r++)
                    System.Numerics.Tensors.TensorPrimitives.Add(db.Slice(r * q, q), dy.Slice(r * (p + q) + p, q), db.Slice(r * q, q));
            }
        }
    }
}
