using MLNetExt.Core.Autograd;
using MLNetExt.Core.Ops;
using MLNetExt.Core.Onnx;

namespace MLNetExt.Core.Modules;

/// <summary>
/// A 2-D transposed convolution layer, <c>torch.nn.ConvTranspose2d</c> (one group): the gradient of a
/// <see cref="Conv2d"/> with respect to its input, a learnable upsampling (see <see cref="ConvTranspose2dOp"/>).
/// Shapes: input [N, in_channels, H, W] → output [N, out_channels, OH, OW],
/// OH = (H − 1)·SH − 2·PH + DH·(KH − 1) + output_padding_H + 1; <c>weight</c> [in_channels, out_channels, KH, KW],
/// <c>bias</c> [out_channels].
/// </summary>
/// <remarks>
/// Initialized as PyTorch does: weight ~ kaiming_uniform(a = √5) and bias ~ U(−1/√fan_in, 1/√fan_in), where
/// PyTorch computes fan_in from weight.size(1)·KH·KW = out_channels·KH·KW.
/// </remarks>
public sealed class ConvTranspose2d : Module, IOnnxExportable
{
    /// <summary>Creates the layer with a square kernel and equal settings along both axes.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A channel count, kernel size, stride or dilation is below 1, padding is
    /// negative, or the output padding is not smaller than the stride or the dilation.</exception>
    public ConvTranspose2d(int inChannels, int outChannels, int kernelSize, int stride = 1, int padding = 0, int outputPadding = 0,
        bool bias = true, int dilation = 1, RandomSource? random = null)
        : this(inChannels, outChannels, (kernelSize, kernelSize), (stride, stride), (padding, padding), (outputPadding, outputPadding),
            (dilation, dilation), bias, random)
    {
    }

    /// <summary>Creates the layer with per-axis (height, width) settings.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A channel count, kernel size, stride or dilation is below 1, padding is
    /// negative, or an output padding is not smaller than its stride or dilation.</exception>
    public ConvTranspose2d(int inChannels, int outChannels, (int Height, int Width) kernelSize, (int Height, int Width) stride,
        (int Height, int Width) padding, (int Height, int Width) outputPadding, (int Height, int Width) dilation,
        bool bias = true, RandomSource? random = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(inChannels, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(outChannels, 1);
        if (kernelSize.Height < 1 || kernelSize.Width < 1)
            throw new ArgumentOutOfRangeException(nameof(kernelSize), kernelSize, "Kernel sizes must be at least 1.");
        Conv2dOp.CheckSettings(stride, padding, dilation);
        if (outputPadding.Height < 0 || outputPadding.Width < 0
            || (outputPadding.Height >= stride.Height && outputPadding.Height >= dilation.Height)
            || (outputPadding.Width >= stride.Width && outputPadding.Width >= dilation.Width))
            throw new ArgumentOutOfRangeException(nameof(outputPadding), outputPadding, "Output padding must be non-negative and smaller than the stride or the dilation.");
        InChannels = inChannels;
        OutChannels = outChannels;
        KernelSize = kernelSize;
        Stride = stride;
        Padding = padding;
        OutputPadding = outputPadding;
        Dilation = dilation;
        random ??= RandomSource.Default;
        float bound = 1f / MathF.Sqrt(outChannels * kernelSize.Height * kernelSize.Width);
        Weight = RegisterParameter("weight", new Tensor(inChannels, outChannels, kernelSize.Height, kernelSize.Width));
        random.FillUniform(Weight.Span, -bound, bound);
        if (bias)
        {
            Bias = RegisterParameter("bias", new Tensor(outChannels));
            random.FillUniform(Bias.Span, -bound, bound);
        }
    }

    /// <summary>Channels of the input.</summary>
    public int InChannels { get; }

    /// <summary>Channels of the output.</summary>
    public int OutChannels { get; }

    /// <summary>The kernel's (height, width).</summary>
    public (int Height, int Width) KernelSize { get; }

    /// <summary>The upsampling step, per axis.</summary>
    public (int Height, int Width) Stride { get; }

    /// <summary>Rows and columns removed from each side of the full output, per axis.</summary>
    public (int Height, int Width) Padding { get; }

    /// <summary>Extra rows and columns added at the bottom and right of the output, per axis.</summary>
    public (int Height, int Width) OutputPadding { get; }

    /// <summary>The spacing between kernel taps, per axis.</summary>
    public (int Height, int Width) Dilation { get; }

    /// <summary>The filters, [in_channels, out_channels, KH, KW].</summary>
    public Tensor Weight { get; }

    /// <summary>The bias, [out_channels], or null when created without one.</summary>
    public Tensor? Bias { get; }

    /// <inheritdoc />
    public override Tensor Forward(Tensor input, Tape? tape = null)
    {
        // The op checks the geometry too; this names the layer when the input does not belong to it.
        if (input.Rank != 4 || input.Dim(1) != InChannels) OutputShape(input.Shape);
        return ConvTranspose2dOp.Forward(input, Weight, Bias, Stride, Padding, OutputPadding, Dilation, tape);
    }

    /// <inheritdoc />
    public override int[] OutputShape(ReadOnlySpan<int> inputShape)
    {
        if (inputShape.Length != 4 || inputShape[1] != InChannels)
            throw new ArgumentException($"ConvTranspose2d({InChannels}, {OutChannels}) expects input [N, {InChannels}, H, W] but got {ShapeText.Of(inputShape)}.", "input");
        int height = ConvolutionArithmetic.TransposedOutputSize(inputShape[2], KernelSize.Height, Padding.Height, Stride.Height, Dilation.Height, OutputPadding.Height);
        int width = ConvolutionArithmetic.TransposedOutputSize(inputShape[3], KernelSize.Width, Padding.Width, Stride.Width, Dilation.Width, OutputPadding.Width);
        if (height <= 0 || width <= 0)
            throw new ArgumentException($"ConvTranspose2d({InChannels}, {OutChannels}) with padding ({Padding.Height}, {Padding.Width}) turns input {ShapeText.Of(inputShape)} into an empty {height}×{width} output.", "input");
        return [inputShape[0], OutChannels, height, width];
    }

    /// <summary>
    /// Emits <c>ConvTranspose</c> with <see cref="Forward"/>'s kernel, stride, padding and dilation, one group;
    /// <c>weight</c> [in_channels, out_channels, KH, KW] is already ONNX's layout and keeps its name, as does
    /// <c>bias</c>. Shapes: [N, in_channels, H, W] → [N, out_channels, OH, OW].
    /// </summary>
    /// <remarks>
    /// The output padding extends the output at the bottom and right. Its rows that the padding would crop from the
    /// uncropped output are kept by cropping less there (asymmetric <c>pads</c>); rows past the uncropped output
    /// receive no input, so they hold the bias alone and are written as <c>Pad</c> with zeros before adding the bias.
    /// ONNX's own <c>output_padding</c> is not used: ONNX Runtime accepts it only below the stride, where PyTorch
    /// also accepts an output padding below the dilation.
    /// </remarks>
    OnnxValue IOnnxExportable.ExportOnnx(OnnxGraphBuilder graph, OnnxValue input, string scope)
    {
        OnnxExport.RequireFloat(input, nameof(ConvTranspose2d));
        if (input.Rank != 4 || !input.Shape[1].Equals(OnnxDim.Fixed(InChannels)))
            throw new ArgumentException($"ConvTranspose2d({InChannels}, {OutChannels}) expects input [N, {InChannels}, H, W] but got {input}.", nameof(input));
        var shape = OnnxExport.WindowedShape(input, OutChannels, nameof(ConvTranspose2d), (size, axis) => axis == 0
            ? ConvolutionArithmetic.TransposedOutputSize(size, KernelSize.Height, Padding.Height, Stride.Height, Dilation.Height, OutputPadding.Height)
            : ConvolutionArithmetic.TransposedOutputSize(size, KernelSize.Width, Padding.Width, Stride.Width, Dilation.Width, OutputPadding.Width));
        int keptHeight = Math.Min(OutputPadding.Height, Padding.Height), keptWidth = Math.Min(OutputPadding.Width, Padding.Width);
        int addedHeight = OutputPadding.Height - keptHeight, addedWidth = OutputPadding.Width - keptWidth;
        bool addsRows = addedHeight > 0 || addedWidth > 0;
        var weight = OnnxExport.Parameter(graph, scope, "weight", Weight);
        var bias = Bias is null ? null : OnnxExport.Parameter(graph, scope, "bias", Bias);
        string output = graph.AddNode("ConvTranspose", [input.Name, weight.Name, addsRows ? "" : bias?.Name ?? ""], scope,
            OnnxAttribute.Ints("dilations", Dilation.Height, Dilation.Width),
            OnnxAttribute.Int("group", 1),
            OnnxAttribute.Ints("kernel_shape", KernelSize.Height, KernelSize.Width),
            OnnxAttribute.Ints("pads", Padding.Height, Padding.Width, Padding.Height - keptHeight, Padding.Width - keptWidth),
            OnnxAttribute.Ints("strides", Stride.Height, Stride.Width));
        if (addsRows)
        {
            output = graph.AddNode("Pad", [output, graph.Int64Constant(0, 0, 0, 0, 0, 0, addedHeight, addedWidth)], scope);
            if (bias is not null)
            {
                // bias [out_channels] → [out_channels, 1, 1], to broadcast over the channels of [N, out_channels, OH, OW].
                string column = graph.AddNode("Unsqueeze", [bias.Name, graph.Int64Constant(1, 2)], scope);
                output = graph.AddNode("Add", [output, column], scope);
            }
        }
        return input.As(output, shape: shape);
    }
}
