using MLNetExt.Core.Autograd;
using MLNetExt.Core.Kernels;

namespace MLNetExt.Core.Ops;

/// <summary>
/// Softmax over the last dimension that ignores masked positions: the attention weights of a padded sequence.
/// </summary>
public static class MaskedSoftmaxOp
{
    /// <summary>
    /// Effectively computes <c>y[r, j] = mask[r, j] ? 0 : e^(x[r, j]) / Σ_{k unmasked} e^(x[r, k])</c>: masked
    /// positions get weight 0 and no gradient, and their scores are never read (they may hold anything, even NaN).
    /// A row with every position masked comes out all zeros (PyTorch gives NaN there).
    /// </summary>
    /// <param name="x">Scores [R, C] (any rank: the last dimension is C, the others make the rows).</param>
    /// <param name="mask">[R, C], true where a position is excluded (PyTorch's <c>key_padding_mask</c> convention),
    /// or empty for none.</param>
    /// <param name="tape">The tape to record on, or null for inference.</param>
    /// <returns>y, the shape of <paramref name="x"/>.</returns>
    /// <exception cref="ArgumentException"><paramref name="x"/> has rank 0, or the mask is neither empty nor x's size.</exception>
    public static Tensor Forward(Tensor x, ReadOnlySpan<bool> mask, Tape? tape = null)
    {
        ArgumentNullException.ThrowIfNull(x);
        if (x.Rank == 0)
            throw new ArgumentException("A masked softmax needs at least one dimension to normalize over.", nameof(x));
        if (!mask.IsEmpty && mask.Length != x.Length)
            throw new ArgumentException($"The mask has {mask.Length} elements but the scores {ShapeText.Of(x)} have {x.Length}.", nameof(mask));
        int cols = x.Dim(-1);
        var y = Tape.Allocate(tape, x.Shape, clear: false);
        var values = y.Span;
        x.Span.CopyTo(values);
        for (int i = 0; i < mask.Length; i++)
            if (mask[i]) values[i] = float.NegativeInfinity;
        for (int start = 0; start < values.Length; start += cols)
            MaskedSoftmax.ForwardRow(values.Slice(start, cols));
        if (Tape.ShouldRecord(tape, x)) tape!.Record(new TapeNode(MaskedSoftmaxBackward.Instance, y, x));
        return y;
    }

    // Shapes: y [R, C], dY [R, C] → dX [R, C] += y ⊙ (dY − Σ_row dY⊙y): zero at masked positions, where y is 0.
    private sealed class MaskedSoftmaxBackward : IBackward
    {
        public static readonly MaskedSoftmaxBackward Instance = new();
        public void Backward(Tape tape, in TapeNode node)
        {
            var y = node.Output.Span;
            var dY = node.Output.Grad!.Span;
            var dX = Tape.GradOf(node.A!);
            int cols = node.Output.Dim(-1);
            for (int start = 0; start < y.Length; start += cols)
                MaskedSoftmax.BackwardRow(y.Slice(start, cols), dY.Slice(start, cols), dX.Slice(start, cols));
        }
    }
}
