namespace MLNetExt.Core.Modules.Recurrent;

/// <summary>The activation of an Elman <see cref="RNN"/> or <see cref="RNNCell"/> (PyTorch's <c>nonlinearity</c>).</summary>
public enum RnnNonlinearity
{
    /// <summary>h' = tanh(·), PyTorch's default.</summary>
    Tanh,

    /// <summary>h' = max(·, 0).</summary>
    Relu,
}
