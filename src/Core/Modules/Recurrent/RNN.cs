using MLNetExt.Core.Ops.Recurrent;

namespace MLNetExt.Core.Modules.Recurrent;

/// <summary>
/// A multi-layer Elman recurrent network, <c>torch.nn.RNN</c>: h' = φ(W_ih x + b_ih + W_hh h + b_hh) for each step,
/// layer and direction, with φ = tanh (default) or relu. Shapes and parameters as in <see cref="RecurrentBase"/>, with G = 1.
/// </summary>
public sealed class RNN : RecurrentBase
{
    /// <summary>Creates the network (arguments in PyTorch's order; note <paramref name="batchFirst"/> defaults to true here).</summary>
    /// <exception cref="ArgumentOutOfRangeException">A size is less than 1, <paramref name="dropout"/> is outside [0, 1], or the nonlinearity is undefined.</exception>
    public RNN(int inputSize, int hiddenSize, int numLayers = 1, RnnNonlinearity nonlinearity = RnnNonlinearity.Tanh, bool bias = true,
        bool batchFirst = true, float dropout = 0f, bool bidirectional = false, RandomSource? random = null)
        : base(ModeOf(nonlinearity), inputSize, hiddenSize, numLayers, bias, batchFirst, dropout, bidirectional, random)
    {
        Nonlinearity = nonlinearity;
    }

    /// <summary>The activation φ.</summary>
    public RnnNonlinearity Nonlinearity { get; }

    internal static RecurrentMode ModeOf(RnnNonlinearity nonlinearity) => nonlinearity switch
    {
        RnnNonlinearity.Tanh => RecurrentMode.RnnTanh,
        RnnNonlinearity.Relu => RecurrentMode.RnnRelu,
        _ => throw new ArgumentOutOfRangeException(nameof(nonlinearity), nonlinearity, "Expected Tanh or Relu."),
    };
}
