using MLNetExt.Trainers.DeepLearning;
using MLNetExt.Trainers.Mlp;

namespace MLNetExt.Trainers.Autoencoders;

/// <summary>
/// The settings of the autoencoder anomaly detector: the features column, the architecture and its regularizer, the
/// reconstruction loss, the feature standardization, the contamination that sets the threshold, the extra output
/// columns, and the common deep-trainer settings of <see cref="DeepTrainerOptions"/>. Checked when the trainer is
/// created; never written to.
/// </summary>
public abstract class AutoencoderTrainerOptions : DeepTrainerOptions
{
    /// <summary>Sets the autoencoder's defaults where they differ from the common ones.</summary>
    protected AutoencoderTrainerOptions()
    {
        NumberOfEpochs = 50;
        EarlyStoppingPatience = 5;
    }

    /// <summary>The features column, a known-size vector of Single; required. The convolutional kind needs an image shape (see <see cref="ImageShape"/>).</summary>
    public string FeatureColumnName { get; set; } = "Features";

    /// <summary>The architecture; <see cref="AutoencoderKind.Dense"/> by default.</summary>
    public AutoencoderKind Kind { get; set; } = AutoencoderKind.Dense;

    /// <summary>
    /// The encoder's hidden widths, input side first; the decoder mirrors them. Each at least 1; may be empty (the
    /// code layer then reads the input directly). Default [64, 32]. Not used by the convolutional kind.
    /// </summary>
    public int[] HiddenLayers { get; set; } = [64, 32];

    /// <summary>
    /// The width of the code (the bottleneck, or the latent dimension of the variational kind); at least 1, default 16.
    /// Not used by the convolutional kind, whose code is its last feature map.
    /// </summary>
    public int CodeSize { get; set; } = 16;

    /// <summary>
    /// The non-linearity after each hidden layer and on the code (Tanh by default: a saturating unit cannot follow a
    /// row far outside the training range, so such a row keeps a large reconstruction error, where ReLU layers
    /// extrapolate linearly and reconstruct it; see bench/README.md, "anomaly-quality.sh"). The sparse kind with the
    /// Kullback–Leibler penalty and the contractive kind use a sigmoid on the code, as their penalties require.
    /// </summary>
    public MlpActivation Activation { get; set; } = MlpActivation.Tanh;

    /// <summary>
    /// The probability that dropout zeroes a hidden unit while training, in [0, 1); 0.3 by default, which keeps the
    /// network from learning a near-identity map that reconstructs anomalies as well as normal rows.
    /// </summary>
    public float DropoutRate { get; set; } = 0.3f;

    /// <summary>Whether each hidden layer is followed by batch normalization (before the activation); off by default.</summary>
    public bool UseBatchNorm { get; set; }

    /// <summary>
    /// Whether each decoder layer reuses the transposed weight of its mirror encoder layer (W* = Wᵀ; the decoder keeps
    /// its own biases). Dense kinds only; off by default.
    /// </summary>
    public bool TiedWeights { get; set; }

    /// <summary>The denoising kind's corruption; masking by default.</summary>
    public InputCorruption Corruption { get; set; } = InputCorruption.Masking;

    /// <summary>The masking probability q in [0, 1), or the Gaussian noise's σ (≥ 0), in standardized units; default 0.2.</summary>
    public float CorruptionLevel { get; set; } = 0.2f;

    /// <summary>The sparse kind's penalty; Kullback–Leibler by default.</summary>
    public SparsityPenalty Sparsity { get; set; } = SparsityPenalty.KullbackLeibler;

    /// <summary>The sparse kind's target mean activation ρ, in (0, 1); default 0.05.</summary>
    public float SparsityTarget { get; set; } = 0.05f;

    /// <summary>The sparse kind's penalty weight β, at least 0; default 0.1.</summary>
    public float SparsityWeight { get; set; } = 0.1f;

    /// <summary>The contractive kind's penalty weight λ, at least 0; default 0.01.</summary>
    public float ContractiveWeight { get; set; } = 0.01f;

    /// <summary>The variational kind's weight β of the KL term (β = 1 is the plain VAE); at least 0.</summary>
    public float KLWeight { get; set; } = 1f;

    /// <summary>The convolutional kind's channels per encoder stage (each stage halves the height and width); default [16, 8].</summary>
    public int[] ConvolutionChannels { get; set; } = [16, 8];

    /// <summary>The convolutional kind's square kernel size, odd (padding keeps the size); default 3.</summary>
    public int KernelSize { get; set; } = 3;

    /// <summary>
    /// The image shape [C, H, W] of the features (planes, then rows, then columns: ML.NET's <c>ExtractPixels</c>
    /// without interleaving). Null (the default) takes it from the column's type, Vector&lt;Single, C, H, W&gt;.
    /// </summary>
    public int[]? ImageShape { get; set; }

    /// <summary>
    /// How reconstruction errors are measured; squared error by default. Binary cross-entropy needs features in
    /// [0, 1] and <see cref="StandardizeFeatures"/> off.
    /// </summary>
    public AutoencoderReconstructionLoss ReconstructionLoss { get; set; } = AutoencoderReconstructionLoss.MeanSquaredError;

    /// <summary>
    /// Whether the features are standardized, (x − mean) / standard deviation, with the training data's statistics
    /// (a constant feature gets scale 1), before the network sees them; on by default. The statistics are part of the
    /// model, and the errors are measured in standardized units.
    /// </summary>
    public bool StandardizeFeatures { get; set; } = true;

    /// <summary>
    /// The expected fraction of anomalies in the training data, in (0, 0.5]: the threshold is the (1 − contamination)
    /// quantile of the training rows' scores (linear interpolation, as NumPy's percentile). Default 0.1.
    /// </summary>
    public double Contamination { get; set; } = 0.1;

    /// <summary>The output column of the per-feature reconstruction errors (Vector&lt;Single, F&gt;), "ReconstructionErrors" by default; null or empty adds none.</summary>
    public string? ReconstructionErrorsColumnName { get; set; } = "ReconstructionErrors";

    /// <summary>The output column of the code vector (the encoder as a feature extractor), null (none) by default.</summary>
    public string? CodeColumnName { get; set; }

    internal override void Validate()
    {
        if (string.IsNullOrEmpty(FeatureColumnName))
            throw new ArgumentException($"Option {nameof(FeatureColumnName)} needs a column name.", nameof(FeatureColumnName));
        if (!Enum.IsDefined(Kind))
            throw Bad(nameof(Kind), Kind, "must be one of " + string.Join(", ", Enum.GetNames<AutoencoderKind>()));
        if (HiddenLayers is null || HiddenLayers.Any(width => width < 1))
            throw Bad(nameof(HiddenLayers), HiddenLayers is null ? "null" : $"[{string.Join(", ", HiddenLayers)}]", "needs widths of at least 1 (it may be empty)");
        if (CodeSize < 1)
            throw Bad(nameof(CodeSize), CodeSize, "must be at least 1");
        if (!Enum.IsDefined(Activation))
            throw Bad(nameof(Activation), Activation, "must be one of " + string.Join(", ", Enum.GetNames<MlpActivation>()));
        if (!(DropoutRate >= 0 && DropoutRate < 1))
            throw Bad(nameof(DropoutRate), DropoutRate, "must lie in [0, 1)");
        if (TiedWeights && Kind is AutoencoderKind.Convolutional or AutoencoderKind.Variational)
            throw Bad(nameof(TiedWeights), TiedWeights, $"applies to the dense kinds only, not to {Kind}");
        if (!Enum.IsDefined(Corruption))
            throw Bad(nameof(Corruption), Corruption, "must be Masking or Gaussian");
        if (!(CorruptionLevel >= 0 && float.IsFinite(CorruptionLevel)) || (Corruption == InputCorruption.Masking && CorruptionLevel >= 1))
            throw Bad(nameof(CorruptionLevel), CorruptionLevel, "must lie in [0, 1) for masking, or be a finite σ ≥ 0 for Gaussian noise");
        if (!Enum.IsDefined(Sparsity))
            throw Bad(nameof(Sparsity), Sparsity, "must be KullbackLeibler or L1");
        if (!(SparsityTarget > 0 && SparsityTarget < 1))
            throw Bad(nameof(SparsityTarget), SparsityTarget, "must lie in (0, 1)");
        CheckWeight(nameof(SparsityWeight), SparsityWeight);
        CheckWeight(nameof(ContractiveWeight), ContractiveWeight);
        CheckWeight(nameof(KLWeight), KLWeight);
        if (ConvolutionChannels is not { Length: > 0 } || ConvolutionChannels.Any(c => c < 1))
            throw Bad(nameof(ConvolutionChannels), ConvolutionChannels is null ? "null" : $"[{string.Join(", ", ConvolutionChannels)}]", "needs at least one stage, each of at least 1 channel");
        if (KernelSize < 1 || KernelSize % 2 == 0)
            throw Bad(nameof(KernelSize), KernelSize, "must be odd and at least 1");
        if (ImageShape is not null && (ImageShape.Length != 3 || ImageShape.Any(d => d < 1)))
            throw Bad(nameof(ImageShape), $"[{string.Join(", ", ImageShape)}]", "must be [channels, height, width], each at least 1");
        if (!Enum.IsDefined(ReconstructionLoss))
            throw Bad(nameof(ReconstructionLoss), ReconstructionLoss, "must be MeanSquaredError or BinaryCrossEntropy");
        if (ReconstructionLoss == AutoencoderReconstructionLoss.BinaryCrossEntropy && StandardizeFeatures)
            throw Bad(nameof(StandardizeFeatures), StandardizeFeatures, "must be false with ReconstructionLoss BinaryCrossEntropy, whose targets are the raw features in [0, 1]");
        if (!(Contamination > 0 && Contamination <= 0.5))
            throw Bad(nameof(Contamination), Contamination, "must lie in (0, 0.5]");
        if (CodeColumnName is { Length: > 0 } code && code == ReconstructionErrorsColumnName)
            throw Bad(nameof(CodeColumnName), code, $"must differ from {nameof(ReconstructionErrorsColumnName)}");
        foreach (var name in new[] { ReconstructionErrorsColumnName, CodeColumnName })
        {
            if (name is "Score" or "PredictedLabel")
                throw new ArgumentException($"The output column '{name}' would hide the detector's own {name} column; choose another name.", name == CodeColumnName ? nameof(CodeColumnName) : nameof(ReconstructionErrorsColumnName));
        }
        base.Validate();
    }

    private static void CheckWeight(string option, float value)
    {
        if (!(value >= 0 && float.IsFinite(value)))
            throw Bad(option, value, "must be a finite number of at least 0");
    }

    /// <summary>A copy that shares nothing mutable with these options.</summary>
    internal AutoencoderTrainerOptions Copy()
    {
        var copy = (AutoencoderTrainerOptions)CopyShallow();
        copy.HiddenLayers = [.. HiddenLayers];
        copy.ConvolutionChannels = [.. ConvolutionChannels];
        copy.ImageShape = ImageShape is null ? null : [.. ImageShape];
        return copy;
    }
}
