using MLNetExt.Core;
using MLNetExt.Core.Autograd;
using MLNetExt.Core.Modules;
using MLNetExt.Core.Onnx;
using MLNetExt.Trainers.DeepLearning;
using MLNetExt.Trainers.Mlp;

namespace MLNetExt.Trainers.Autoencoders;

/// <summary>
/// An autoencoder: features [N, F] (standardized when the model standardizes) → reconstruction [N, F], the decoder's
/// raw output (values for squared error, logits for binary cross-entropy), with the code of the last forward pass
/// kept for the penalties and the code column. Built by <see cref="Build"/> from an <see cref="AutoencoderArchitecture"/>;
/// parameter names follow PyTorch's for the same module tree (<c>encoder.0.weight</c>, <c>decoder.2.bias</c>, …).
/// </summary>
internal abstract class AutoencoderNetwork : Module, IPenalizedNetwork
{
    private protected AutoencoderNetwork(AutoencoderArchitecture architecture)
    {
        Architecture = architecture;
    }

    /// <summary>What the network was built from.</summary>
    public AutoencoderArchitecture Architecture { get; }

    /// <summary>F, the features per row.</summary>
    public int FeatureCount => Architecture.FeatureCount;

    /// <summary>The length of one row's code vector.</summary>
    public abstract int CodeSize { get; }

    /// <summary>The code of the last forward pass, [N, <see cref="CodeSize"/>] (μ for the variational kind).</summary>
    public Tensor? LastCode { get; private protected set; }

    /// <summary>The network for <paramref name="architecture"/>, its initial weights drawn from <paramref name="random"/>.</summary>
    /// <exception cref="ArgumentException">The architecture cannot be built; the message says why.</exception>
    public static AutoencoderNetwork Build(AutoencoderArchitecture architecture, RandomSource random)
    {
        if (architecture.Problem() is { } problem)
            throw new ArgumentException($"The autoencoder cannot be built: {problem}.", nameof(architecture));
        return architecture.Kind switch
        {
            AutoencoderKind.Convolutional => new ConvolutionalAutoencoder(architecture, random),
            AutoencoderKind.Variational => new VariationalAutoencoder(architecture, random),
            _ => new DenseAutoencoder(architecture, random),
        };
    }

    /// <inheritdoc />
    public virtual Tensor? Penalty(Tape? tape) => null;

    /// <summary>
    /// Adds each row's share of the penalty that belongs in its anomaly score (the variational kind's β·KL/F; none
    /// for the others) for the last forward pass to <paramref name="scores"/>.
    /// </summary>
    public virtual void AddRowPenalties(Span<float> scores)
    {
    }

    /// <inheritdoc />
    public override int[] OutputShape(ReadOnlySpan<int> inputShape)
    {
        RequireRank(inputShape, 2, "[N, F]");
        return [inputShape[0], FeatureCount];
    }

    /// <summary>Adds the inference graph, reading the float input [N, F] (standardized as the network reads it).</summary>
    public abstract AutoencoderGraph ExportOnnx(OnnxGraphBuilder graph, OnnxValue input);

    /// <summary>
    /// Appends one hidden block of the dense kinds: <paramref name="linear"/> (width <paramref name="width"/>), then
    /// BatchNorm1d when asked, the activation, and Dropout when its rate is above 0.
    /// </summary>
    private protected void AddHiddenBlock(List<Module> layers, Module linear, int width, RandomSource random)
    {
        layers.Add(linear);
        if (Architecture.UseBatchNorm)
            layers.Add(new BatchNorm1d(width));
        layers.Add(MlpNetwork.Activation(Architecture.Activation));
        if (Architecture.DropoutRate > 0)
            layers.Add(new Dropout(Architecture.DropoutRate, random));
    }

    /// <summary>Checks that a forward input is [N, F].</summary>
    private protected void CheckInput(Tensor input)
    {
        if (input.Rank != 2 || input.Dim(1) != FeatureCount)
            throw new ArgumentException($"The autoencoder reads [N, {FeatureCount}] but got [{string.Join(", ", input.Shape.ToArray())}].", nameof(input));
    }
}

/// <summary>The values an exported autoencoder graph computes.</summary>
/// <param name="Reconstruction">The decoder's raw output [N, F] (logits for binary cross-entropy).</param>
/// <param name="Code">The code [N, K].</param>
/// <param name="RowPenalty">Each row's penalty share of its score [N, 1], or null when the kind has none.</param>
internal sealed record AutoencoderGraph(OnnxValue Reconstruction, OnnxValue Code, OnnxValue? RowPenalty);
