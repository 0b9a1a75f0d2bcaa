using MLNetExt.Core.Autograd;

namespace MLNetExt.Core.Modules.Recurrent;

/// <summary>
/// One Elman RNN step, <c>torch.nn.RNNCell</c>: h' = φ(W_ih x + b_ih + W_hh h + b_hh), φ = tanh or relu.
/// Shapes: input [B, I], hx [B, H] → h' [B, H]; G = 1.
/// </summary>
public sealed class RNNCell : RecurrentCellBase
{
    /// <summary>Creates the cell, drawing initial weights from <paramref name="random"/> (default: <see cref="RandomSource.Default"/>).</summary>
    /// <exception cref="ArgumentOutOfRangeException">A size is less than 1, or the nonlinearity is undefined.</exception>
    public RNNCell(int inputSize, int hiddenSize, bool bias = true, RnnNonlinearity nonlinearity = RnnNonlinearity.Tanh, RandomSource? random = null)
        : base(RNN.ModeOf(nonlinearity), inputSize, hiddenSize, bias, random)
    {
        Nonlinearity = nonlinearity;
    }

    /// <summary>The activation φ.</summary>
    public RnnNonlinearity Nonlinearity { get; }

    /// <summary>One step; a null <paramref name="hx"/> is a zero state.</summary>
    /// <exception cref="ArgumentException">A shape does not match.</exception>
    public Tensor Forward(Tensor input, Tensor? hx, Tape? tape = null) => Step(input, hx, null, tape).Output;
}
