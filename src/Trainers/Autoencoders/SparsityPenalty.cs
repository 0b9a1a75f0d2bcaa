namespace MLNetExt.Trainers.Autoencoders;

/// <summary>The penalty a sparse autoencoder puts on its code.</summary>
public enum SparsityPenalty
{
    /// <summary>β·Σ_j [ρ log(ρ/ρ̂_j) + (1 − ρ) log((1 − ρ)/(1 − ρ̂_j))], ρ̂_j the batch mean of sigmoid code unit j.</summary>
    KullbackLeibler,

    /// <summary>β·mean over rows of Σ_j |h_j|, the L1 norm of the code.</summary>
    L1,
}
