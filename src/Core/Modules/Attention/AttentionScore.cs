namespace MLNetExt.Core.Modules.Attention;

/// <summary>How <see cref="AttentionPooling"/> scores each step h_j of a sequence against the query q.</summary>
public enum AttentionScore
{
    /// <summary>Additive (Bahdanau): e_j = vᵀ·tanh(W·h_j + U·q + b); with a learned query, e_j = vᵀ·tanh(W·h_j + b), v being the learned context vector (HAN's u_w).</summary>
    Additive,

    /// <summary>Dot product (Luong): e_j = qᵀ·h_j.</summary>
    Dot,

    /// <summary>Multiplicative (Luong's "general"): e_j = qᵀ·W·h_j.</summary>
    Multiplicative,
}
