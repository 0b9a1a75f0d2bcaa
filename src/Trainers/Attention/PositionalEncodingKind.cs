namespace MLNetExt.Trainers.Attention;

/// <summary>Which positional encoding the transformer classifier adds to its token embeddings.</summary>
public enum PositionalEncodingKind
{
    /// <summary>The fixed sinusoidal table of "Attention Is All You Need".</summary>
    Sinusoidal = 0,

    /// <summary>A learned table, one vector per position (BERT's).</summary>
    Learned = 1,
}
