using MLNetExt.Trainers.Mlp;

namespace MLNetExt.Trainers.Autoencoders;

/// <summary>
/// What builds an autoencoder network, the same way for training and for loading a saved model: the kind, the sizes
/// and the regularizer settings. Saved with the model; checked against hard limits before a network is built from it.
/// </summary>
internal sealed class AutoencoderArchitecture
{
    /// <summary>The most values a saved architecture may ask a network to hold (weights of all layers).</summary>
    public const long MaxParameters = 1L << 28;

    public AutoencoderKind Kind { get; set; }

    /// <summary>F, the length of the features vector.</summary>
    public int FeatureCount { get; set; }

    public int[] HiddenLayers { get; set; } = [];

    public int CodeSize { get; set; }

    public MlpActivation Activation { get; set; }

    public float DropoutRate { get; set; }

    public bool UseBatchNorm { get; set; }

    public bool TiedWeights { get; set; }

    public InputCorruption Corruption { get; set; }

    public float CorruptionLevel { get; set; }

    public SparsityPenalty Sparsity { get; set; }

    public float SparsityTarget { get; set; }

    public float SparsityWeight { get; set; }

    public float ContractiveWeight { get; set; }

    public float KLWeight { get; set; }

    public int[] ConvolutionChannels { get; set; } = [];

    public int KernelSize { get; set; }

    /// <summary>[C, H, W] for the convolutional kind; null otherwise.</summary>
    public int[]? ImageShape { get; set; }

    public AutoencoderReconstructionLoss ReconstructionLoss { get; set; }

    /// <summary>The architecture the options ask for over <paramref name="featureCount"/> features (and, for the convolutional kind, images of <paramref name="imageShape"/>).</summary>
    public static AutoencoderArchitecture From(AutoencoderTrainerOptions options, int featureCount, int[]? imageShape) => new()
    {
        Kind = options.Kind,
        FeatureCount = featureCount,
        HiddenLayers = [.. options.HiddenLayers],
        CodeSize = options.CodeSize,
        Activation = options.Activation,
        DropoutRate = options.DropoutRate,
        UseBatchNorm = options.UseBatchNorm,
        TiedWeights = options.TiedWeights,
        Corruption = options.Corruption,
        CorruptionLevel = options.CorruptionLevel,
        Sparsity = options.Sparsity,
        SparsityTarget = options.SparsityTarget,
        SparsityWeight = options.SparsityWeight,
        ContractiveWeight = options.ContractiveWeight,
        KLWeight = options.KLWeight,
        ConvolutionChannels = [.. options.ConvolutionChannels],
        KernelSize = options.KernelSize,
        ImageShape = imageShape is null ? null : [.. imageShape],
        ReconstructionLoss = options.ReconstructionLoss,
    };

    /// <summary>Whether the code layer is a sigmoid: the penalties of the KL-sparse and contractive kinds are defined on one.</summary>
    public bool SigmoidCode => Kind == AutoencoderKind.Contractive || (Kind == AutoencoderKind.Sparse && Sparsity == SparsityPenalty.KullbackLeibler);

    /// <summary>The first reason this architecture cannot be built (a saved file's settings out of range), or null.</summary>
    public string? Problem()
    {
        const int MaxWidth = 1 << 20, MaxLayers = 64;
        if (!Enum.IsDefined(Kind) || !Enum.IsDefined(Activation) || !Enum.IsDefined(Corruption) || !Enum.IsDefined(Sparsity) || !Enum.IsDefined(ReconstructionLoss))
            return "an enumerated setting (kind, activation, corruption, sparsity or loss) is unknown";
        if (FeatureCount < 1 || FeatureCount > MaxWidth)
            return $"its feature count {FeatureCount} is outside [1, {MaxWidth}]";
        if (HiddenLayers is null || HiddenLayers.Length > MaxLayers || HiddenLayers.Any(w => w < 1 || w > MaxWidth) || CodeSize < 1 || CodeSize > MaxWidth)
            return $"its hidden layers or code size are outside [1, {MaxWidth}] (at most {MaxLayers} layers)";
        if (!(DropoutRate >= 0 && DropoutRate < 1) || !(CorruptionLevel >= 0 && float.IsFinite(CorruptionLevel))
            || !(SparsityTarget > 0 && SparsityTarget < 1) || !(SparsityWeight >= 0 && float.IsFinite(SparsityWeight))
            || !(ContractiveWeight >= 0 && float.IsFinite(ContractiveWeight)) || !(KLWeight >= 0 && float.IsFinite(KLWeight)))
            return "a regularizer setting (dropout, corruption, sparsity, contractive or KL weight) is out of range";
        if (TiedWeights && Kind is AutoencoderKind.Convolutional or AutoencoderKind.Variational)
            return $"tied weights do not apply to the {Kind} kind";
        if (Kind == AutoencoderKind.Convolutional)
        {
            if (ImageShape is not { Length: 3 } shape || shape.Any(d => d < 1 || d > MaxWidth) || (long)shape[0] * shape[1] * shape[2] != FeatureCount)
                return $"its image shape does not hold its {FeatureCount} features as [C, H, W]";
            if (ConvolutionChannels is not { Length: > 0 } || ConvolutionChannels.Length > MaxLayers || ConvolutionChannels.Any(c => c < 1 || c > 4096)
                || KernelSize < 1 || KernelSize % 2 == 0 || KernelSize > 31)
                return "its convolution channels or kernel size are out of range";
            if (ConvolutionalAutoencoder.StageTooSmall(this) is { } stage)
                return $"its image of {ImageShape[1]}×{ImageShape[2]} is too small for {ConvolutionChannels.Length} pooling stages (stage {stage} would be under 2×2)";
        }
        return ParameterBound() > MaxParameters ? $"it would hold more than {MaxParameters} weights" : null;
    }

    // An upper bound on the weights of the network, computed in long arithmetic before anything is allocated.
    private long ParameterBound()
    {
        if (Kind == AutoencoderKind.Convolutional)
        {
            long sum = 0, previous = ImageShape![0], k2 = (long)KernelSize * KernelSize;
            foreach (int channels in ConvolutionChannels)
            {
                sum += 2 * (previous * channels * k2 + channels + previous);
                previous = channels;
            }
            return sum;
        }
        long total = 0, width = FeatureCount;
        foreach (long next in HiddenLayers.Append(CodeSize))
        {
            total += 3 * (width + 1) * (next + 1);
            width = next;
        }
        return total;
    }
}
