namespace MLNetExt.Core.Ops;

/// <summary>Which attention weights a multi-head attention call returns (PyTorch's <c>need_weights</c> and <c>average_attn_weights</c>).</summary>
public enum AttentionWeightsMode
{
    /// <summary>None (<c>need_weights=False</c>): the cheapest.</summary>
    None,

    /// <summary>The mean over heads, [B, L, S] (<c>average_attn_weights=True</c>, PyTorch's default).</summary>
    Averaged,

    /// <summary>One set per head, [B, H, L, S] (<c>average_attn_weights=False</c>).</summary>
    PerHead,
}
