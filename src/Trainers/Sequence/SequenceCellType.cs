namespace MLNetExt.Trainers.Sequence;

/// <summary>The recurrent cell a sequence trainer stacks (<see cref="SequenceTrainerOptions.Cell"/>).</summary>
public enum SequenceCellType
{
    /// <summary>Long short-term memory (<c>torch.nn.LSTM</c>, gates i, f, g, o).</summary>
    Lstm = 0,

    /// <summary>Gated recurrent unit (<c>torch.nn.GRU</c>, gates r, z, n).</summary>
    Gru = 1,

    /// <summary>Elman recurrent unit with tanh (<c>torch.nn.RNN</c>, one gate): the lightest cell, for short dependencies.</summary>
    Rnn = 2,
}
