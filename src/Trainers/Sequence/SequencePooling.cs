namespace MLNetExt.Trainers.Sequence;

/// <summary>How a many-to-one model turns the top layer's outputs over a sequence's valid steps into one vector.</summary>
public enum SequencePooling
{
    /// <summary>
    /// The last valid state: the forward direction's output at step ℓ − 1 (the sequence's own length, not the padded
    /// end) and, when bidirectional, the backward direction's output at step 0 (where it ends).
    /// </summary>
    Last = 0,

    /// <summary>The mean of the outputs over the valid steps 0 … ℓ − 1.</summary>
    Mean = 1,

    /// <summary>The element-wise maximum of the outputs over the valid steps 0 … ℓ − 1.</summary>
    Max = 2,
}
