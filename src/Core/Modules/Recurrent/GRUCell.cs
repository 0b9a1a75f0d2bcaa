using MLNetExt.Core.Autograd;
using MLNetExt.Core.Ops.Recurrent;

namespace MLNetExt.Core.Modules.Recurrent;

/// <summary>
/// One GRU step, <c>torch.nn.GRUCell</c>: r, z, n as in <see cref="GRU"/>, h' = (1 − z)⊙n + z⊙h.
/// Shapes: input [B, I], hx [B, H] → h' [B, H]; G = 3.
/// </summary>
public sealed class GRUCell : RecurrentCellBase
{
    /// <summary>Creates the cell, drawing initial weights from <paramref name="random"/> (default: <see cref="RandomSource.Default"/>).</summary>
    /// <exception cref="ArgumentOutOfRangeException">A size is less than 1.</exception>
    public GRUCell(int inputSize, int hiddenSize, bool bias = true, RandomSource? random = null)
        : base(RecurrentMode.Gru, inputSize, hiddenSize, bias, random)
    {
    }

    /// <summary>One step; a null <paramref name="hx"/> is a zero state.</summary>
    /// <exception cref="ArgumentException">A shape does not match.</exception>
    public Tensor Forward(Tensor input, Tensor? hx, Tape? tape = null) => Step(input, hx, null, tape).Output;
}
