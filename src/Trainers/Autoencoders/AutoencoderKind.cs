namespace MLNetExt.Trainers.Autoencoders;

/// <summary>The autoencoder architectures of the anomaly-detection trainer.</summary>
public enum AutoencoderKind
{
    /// <summary>
    /// Encoder and decoder multi-layer perceptrons (hidden widths mirrored around the code), trained to reconstruct
    /// the input: loss ‖x̂ − x‖² averaged over the features (or binary cross-entropy).
    /// </summary>
    Dense,

    /// <summary>
    /// The dense autoencoder trained to reconstruct the clean input from a corrupted one: masking noise (each feature
    /// zeroed with probability q) or additive Gaussian noise (σ). The corruption is applied in training only.
    /// </summary>
    Denoising,

    /// <summary>
    /// The dense autoencoder with a sparsity penalty on the code: β·Σ_j KL(ρ ‖ ρ̂_j), ρ̂_j the mean activation of code
    /// unit j over the batch (the code layer is a sigmoid), or β·mean_i Σ_j |h_ij| (L1).
    /// </summary>
    Sparse,

    /// <summary>
    /// The dense autoencoder with the contractive penalty λ·‖∂h/∂x‖²_F of its code layer (a sigmoid layer, whose
    /// Jacobian norm has the closed form Σ_j (h_j(1 − h_j))² Σ_i W_ji²).
    /// </summary>
    Contractive,

    /// <summary>
    /// For image columns (Vector&lt;Single, C, H, W&gt;, e.g. from ML.NET's <c>ExtractPixels</c>): per stage a 3×3
    /// convolution, ReLU and 2×2 max pooling in the encoder; nearest upsampling back to the stage's size and a
    /// convolution in the decoder.
    /// </summary>
    Convolutional,

    /// <summary>
    /// A variational autoencoder: the encoder gives μ and log σ² of a Gaussian code, training samples
    /// z = μ + σ ⊙ ε, and the loss is the negative ELBO: Σ_f (x̂_f − x_f)² + β·½Σ_k (σ_k² + μ_k² − 1 − log σ_k²), divided by F.
    /// Scoring uses the deterministic path z = μ.
    /// </summary>
    Variational,
}
