namespace MLNetExt.Trainers.Sequence;

/// <summary>The recurrent cell a sequence trainer stacks.</summary>
public enum SequenceCellType
{
    /// <summary>Long short-term memory (<c>torch.nn.LSTM</c>, gates i, f, g, o).</summary>
    Lstm = 0,

    /// <summary>Gated recurrent unit (<c>torch.nn.GRU</c>, gates r, z, n).</summary>
    Gru = 1,
}
