namespace MLNetExt.Core.Modules.Attention;

/// <summary>What <see cref="MultiheadAttention"/> returns, shaped as PyTorch's <c>(attn_output, attn_output_weights)</c>.</summary>
/// <param name="Output">The attended values after the output projection, [B, L, E].</param>
/// <param name="Weights">The attention weights, [B, L, S] averaged over heads or [B, H, L, S] per head; null when not
/// asked for. They are for inspection: no gradient flows back through them.</param>
public readonly record struct MultiheadAttentionOutput(Tensor Output, Tensor? Weights);
