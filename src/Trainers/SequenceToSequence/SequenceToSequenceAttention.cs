namespace MLNetExt.Trainers.SequenceToSequence;

/// <summary>How the decoder scores the encoder's steps (h_j) against its state s.</summary>
public enum SequenceToSequenceAttention
{
    /// <summary>
    /// Bahdanau et al. (2015): e_j = vᵀ tanh(W h_j + U s_{t−1} + b), scored with the state before the step, and the
    /// context c_t fed into the recurrent cell with the previous token's embedding.
    /// </summary>
    Additive,

    /// <summary>Luong et al. (2015), "dot": e_j = s_tᵀ h_j, scored with the state after the step.</summary>
    Dot,

    /// <summary>Luong et al. (2015), "general": e_j = s_tᵀ W h_j, scored with the state after the step.</summary>
    General,
}
