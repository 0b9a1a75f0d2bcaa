namespace MLNetExt.Core.Modules.Recurrent;

/// <summary>
/// What a recurrent layer returns, shaped as PyTorch's <c>(output, h_n)</c> / <c>(output, (h_n, c_n))</c>.
/// </summary>
/// <param name="Output">Every step's top-layer hidden state, [B, T, D·H] (batch first) or [T, B, D·H]; zero at padded steps.
/// With two directions the forward half comes first.</param>
/// <param name="HiddenState">h_n, the last state of every layer and direction, [L·D, B, H] (index l·D + d).</param>
/// <param name="CellState">c_n for an LSTM, [L·D, B, H]; null for GRU and RNN.</param>
/// <remarks>
/// Truncated back-propagation through time: run each chunk of a long sequence with the previous chunk's final
/// state as h0 (and c0), and cut the gradient at the chunk boundary by copying the state out before the tape is
/// reset: <see cref="DetachStateInto"/> copies values only, so the next chunk starts from them with no gradient
/// path into the previous chunk. Recipe per chunk: <c>tape.Reset()</c>; <c>r = lstm.Forward(chunk, lengths, h, c, tape)</c>;
/// loss; <c>tape.Backward(loss)</c>; <c>GradientClipping.ClipGradNorm(...)</c>; optimizer step;
/// <c>r.DetachStateInto(h, c)</c> (h and c are tensors the caller owns, without <see cref="Tensor.RequiresGrad"/>).
/// </remarks>
public readonly record struct RecurrentOutput(Tensor Output, Tensor HiddenState, Tensor? CellState)
{
    /// <summary>
    /// Copies the final state into caller-owned tensors (no gradient flows back through them): h_n into
    /// <paramref name="hidden"/> and, for an LSTM, c_n into <paramref name="cell"/>. Allocates nothing.
    /// </summary>
    /// <exception cref="ArgumentException">A destination has the wrong length, or <paramref name="cell"/> is missing for an LSTM.</exception>
    public void DetachStateInto(Tensor hidden, Tensor? cell = null)
    {
        ArgumentNullException.ThrowIfNull(hidden);
        hidden.CopyFrom(HiddenState);
        if (CellState is null) return;
        if (cell is null)
            throw new ArgumentException("An LSTM's state has a cell part: pass a tensor for c_n.", nameof(cell));
        cell.CopyFrom(CellState);
    }

    /// <summary>Fresh copies of h_n (and c_n) that do not require a gradient: the detached state for the next chunk.</summary>
    public (Tensor Hidden, Tensor? Cell) DetachState()
    {
        var hidden = HiddenState.Clone();
        hidden.RequiresGrad = false;
        Tensor? cell = CellState?.Clone();
        if (cell is not null) cell.RequiresGrad = false;
        return (hidden, cell);
    }
}
