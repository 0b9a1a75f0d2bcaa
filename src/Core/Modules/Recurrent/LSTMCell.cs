using MLNetExt.Core.Autograd;
using MLNetExt.Core.Ops.Recurrent;

namespace MLNetExt.Core.Modules.Recurrent;

/// <summary>
/// One LSTM step, <c>torch.nn.LSTMCell</c>: the gates i, f, g, o of <see cref="LSTM"/>, c' = f⊙c + i⊙g,
/// h' = o⊙tanh(c'). Shapes: input [B, I], hx and cx [B, H] → (h', c') [B, H] each; G = 4.
/// </summary>
public sealed class LSTMCell : RecurrentCellBase
{
    /// <summary>Creates the cell, drawing initial weights from <paramref name="random"/> (default: <see cref="RandomSource.Default"/>).</summary>
    /// <exception cref="ArgumentOutOfRangeException">A size is less than 1.</exception>
    public LSTMCell(int inputSize, int hiddenSize, bool bias = true, RandomSource? random = null)
        : base(RecurrentMode.Lstm, inputSize, hiddenSize, bias, random)
    {
    }

    /// <summary>One step; a null <paramref name="hx"/> or <paramref name="cx"/> is a zero state.</summary>
    /// <exception cref="ArgumentException">A shape does not match.</exception>
    public (Tensor H, Tensor C) Forward(Tensor input, Tensor? hx, Tensor? cx, Tape? tape = null)
    {
        var result = Step(input, hx, cx, tape);
        return (result.Output, result.CellState!);
    }
}
