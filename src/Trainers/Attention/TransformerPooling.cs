namespace MLNetExt.Trainers.Attention;

/// <summary>How the transformer classifier turns its encoder's outputs into one vector per sequence.</summary>
public enum TransformerPooling
{
    /// <summary>The mean over the valid (unpadded) tokens.</summary>
    Mean = 0,

    /// <summary>The first token's output (BERT's [CLS] position: put a marker token first).</summary>
    First = 1,
}
