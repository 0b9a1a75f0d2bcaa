namespace MLNetExt.Core.Modules.Attention;

/// <summary>What <see cref="AttentionPooling"/> returns.</summary>
/// <param name="Context">c = Σ_j α_j·h_j, [B, D].</param>
/// <param name="Weights">α, [B, T]: zero at padded steps, summing to 1 over the others. Differentiable like the context.</param>
public readonly record struct AttentionPoolingOutput(Tensor Context, Tensor Weights);
