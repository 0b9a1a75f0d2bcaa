namespace MLNetExt.Trainers.Autoencoders;

/// <summary>How a denoising autoencoder corrupts its training inputs.</summary>
public enum InputCorruption
{
    /// <summary>Masking noise: each feature is set to 0 with probability q (no rescaling, unlike dropout).</summary>
    Masking,

    /// <summary>Additive isotropic Gaussian noise: x̃ = x + σ·ε, ε ~ N(0, 1).</summary>
    Gaussian,
}
