namespace MLNetExt.Trainers.Autoencoders;

/// <summary>How an autoencoder measures the error of a reconstruction, per feature.</summary>
public enum AutoencoderReconstructionLoss
{
    /// <summary>The squared error (x̂_f − x_f)²; the default, for standardized features.</summary>
    MeanSquaredError,

    /// <summary>
    /// The binary cross-entropy −[x_f log x̂_f + (1 − x_f) log(1 − x̂_f)] of a sigmoid output, for data in [0, 1]
    /// (pixels, rates). Computed from the decoder's logits, so it stays finite where x̂ saturates.
    /// </summary>
    BinaryCrossEntropy,
}
