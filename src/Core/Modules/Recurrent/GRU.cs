using MLNetExt.Core.Ops.Recurrent;

namespace MLNetExt.Core.Modules.Recurrent;

/// <summary>
/// A multi-layer gated recurrent unit network, <c>torch.nn.GRU</c>. For each step, layer and direction
/// (PyTorch's gate order r, z, n; the reset gate multiplies the hidden part of n including its bias):
/// <code>
/// r = σ(W_ir x + b_ir + W_hr h + b_hr)     z = σ(W_iz x + b_iz + W_hz h + b_hz)
/// n = tanh(W_in x + b_in + r⊙(W_hn h + b_hn))
/// h' = (1 − z)⊙n + z⊙h
/// </code>
/// Shapes and parameters as in <see cref="RecurrentBase"/>, with G = 3.
/// </summary>
public sealed class GRU : RecurrentBase
{
    /// <summary>Creates the network (arguments in PyTorch's order; note <paramref name="batchFirst"/> defaults to true here).</summary>
    /// <exception cref="ArgumentOutOfRangeException">A size is less than 1, or <paramref name="dropout"/> is outside [0, 1].</exception>
    public GRU(int inputSize, int hiddenSize, int numLayers = 1, bool bias = true, bool batchFirst = true, float dropout = 0f,
        bool bidirectional = false, RandomSource? random = null)
        : base(RecurrentMode.Gru, inputSize, hiddenSize, numLayers, bias, batchFirst, dropout, bidirectional, random)
    {
    }
}
