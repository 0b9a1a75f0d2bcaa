namespace MLNetExt.Core.Ops.Recurrent;

/// <summary>The recurrence a <see cref="RecurrentOp"/> runs, with its number of gates (rows of W_ih per hidden unit).</summary>
internal enum RecurrentMode
{
    /// <summary>Elman RNN, h' = tanh(W_ih x + b_ih + W_hh h + b_hh); one gate.</summary>
    RnnTanh,

    /// <summary>Elman RNN with ReLU, h' = relu(W_ih x + b_ih + W_hh h + b_hh); one gate.</summary>
    RnnRelu,

    /// <summary>LSTM, gates i, f, g, o.</summary>
    Lstm,

    /// <summary>GRU, gates r, z, n.</summary>
    Gru,
}
