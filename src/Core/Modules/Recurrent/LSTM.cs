using MLNetExt.Core.Ops.Recurrent;

namespace MLNetExt.Core.Modules.Recurrent;

/// <summary>
/// A multi-layer long short-term memory network, <c>torch.nn.LSTM</c>. For each step, layer and direction
/// (PyTorch's gate order i, f, g, o; σ the logistic function):
/// <code>
/// i = σ(W_ii x + b_ii + W_hi h + b_hi)     f = σ(W_if x + b_if + W_hf h + b_hf)
/// g = tanh(W_ig x + b_ig + W_hg h + b_hg)  o = σ(W_io x + b_io + W_ho h + b_ho)
/// c' = f⊙c + i⊙g                           h' = o⊙tanh(c')
/// </code>
/// Shapes and parameters as in <see cref="RecurrentBase"/>, with G = 4; the result carries c_n.
/// </summary>
public sealed class LSTM : RecurrentBase
{
    /// <summary>Creates the network (arguments in PyTorch's order; note <paramref name="batchFirst"/> defaults to true here).</summary>
    /// <exception cref="ArgumentOutOfRangeException">A size is less than 1, or <paramref name="dropout"/> is outside [0, 1].</exception>
    public LSTM(int inputSize, int hiddenSize, int numLayers = 1, bool bias = true, bool batchFirst = true, float dropout = 0f,
        bool bidirectional = false, RandomSource? random = null)
        : base(RecurrentMode.Lstm, inputSize, hiddenSize, numLayers, bias, batchFirst, dropout, bidirectional, random)
    {
    }
}
