using MLNetExt.Core.Autograd;
using MLNetExt.Core.Ops;
using MLNetExt.Core.Onnx;

namespace MLNetExt.Core.Modules;

/// <summary>
/// A 2-D convolution layer, <c>torch.nn.Conv2d</c> (one group, zero padding):
/// y[n, o] = b[o] + Σc W[o, c] ⋆ x[n, c], with ⋆ the strided, dilated cross-correlation of <see cref="Conv2dOp"/>.
/// Shapes: input [N, in_channels, H, W] → output [N, out_channels, OH, OW], OH = ⌊(H + 2·PH − DH·(KH − 1) − 1)/SH⌋ + 1;
/// <c>weight</c> [out_channels, in_channels, KH, KW], <c>bias</c> [out_channels].
/// </summary>
/// <remarks>
/// Initialized as PyTorch does: weight ~ kaiming_uniform(a = √5), i.e. U(−1/√fan_in, 1/√fan_in), and bias ~
/// U(−1/√fan_in, 1/√fan_in), where fan_in = in_channels·KH·KW.
/// </remarks>
public sealed class Conv2d : Module, IOnnxExportable
{
    /// <summary>Creates the layer with a square kernel and equal stride, padding and dilation along both axes.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A channel count, kernel size, stride or dilation is below 1, or padding is negative.</exception>
    public Conv2d(int inChannels, int outChannels, int kernelSize, int stride = 1, int padding = 0, int dilation = 1,
        bool bias = true, RandomSource? random = null)
        : this(inChannels, outChannels, (kernelSize, kernelSize), (stride, stride), (padding, padding), (dilation, dilation), bias, random)
    {
    }

    /// <summary>Creates the layer with per-axis (height, width) kernel size, stride, padding and dilation.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A channel count, kernel size, stride or dilation is below 1, or padding is negative.</exception>
    public Conv2d(int inChannels, int outChannels, (int Height, int Width) kernelSize, (int Height, int Width) stride,
        (int Height, int Width) padding, (int Height, int Width) dilation, bool bias = true, RandomSource? random = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(inChannels, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(outChannels, 1);
        if (kernelSize.Height < 1 || kernelSize.Width < 1)
            throw new ArgumentOutOfRangeException(nameof(kernelSize), kernelSize, "Kernel sizes must be at least 1.");
        Conv2dOp.CheckSettings(stride, padding, dilation);
        InChannels = inChannels;
        OutChannels = outChannels;
        KernelSize = kernelSize;
        Stride = stride;
        Padding = padding;
        Dilation = dilation;
        random ??= RandomSource.Default;
        float bound = 1f / MathF.Sqrt(inChannels * kernelSize.Height * kernelSize.Width);
        Weight = RegisterParameter("weight", new Tensor(outChannels, inChannels, kernelSize.Height, kernelSize.Width));
        random.FillUniform(Weight.Span, -bound, bound);
        if (bias)
        {
            Bias = RegisterParameter("bias", new Tensor(outChannels));
            random.FillUniform(Bias.Span, -bound, bound);
        }
    }

    /// <summary>Channels of the input.</summary>
    public int InChannels { get; }

    /// <summary>Channels of the output: the number of filters.</summary>
    public int OutChannels { get; }

    /// <summary>The kernel's (height, width).</summary>
    public (int Height, int Width) KernelSize { get; }

    /// <summary>The step between windows, per axis.</summary>
    public (int Height, int Width) Stride { get; }

    /// <summary>Zeros added on each side of the input, per axis.</summary>
    public (int Height, int Width) Padding { get; }

    /// <summary>The spacing between kernel taps, per axis.</summary>
    public (int Height, int Width) Dilation { get; }

    /// <summary>The filters, [out_channels, in_channels, KH, KW].</summary>
    public Tensor Weight { get; }

    /// <summary>The bias, [out_channels], or null when created without one.</summary>
    public Tensor? Bias { get; }

    /// <inheritdoc />
    public override Tensor Forward(Tensor input, Tape? tape = null)
    {
        // The op checks the geometry too; this names the layer when the input does not belong to it.
        if (input.Rank != 4 || input.Dim(1) != InChannels) OutputShape(input.Shape);
        return Conv2dOp.Forward(input, Weight, Bias, Stride, Padding, Dilation, tape);
    }

    /// <inheritdoc />
    public override int[] OutputShape(ReadOnlySpan<int> inputShape)
    {
        if (inputShape.Length != 4 || inputShape[1] != InChannels)
            throw new ArgumentException($"Conv2d({InChannels}, {OutChannels}) expects input [N, {InChannels}, H, W] but got {ShapeText.Of(inputShape)}.", "input");
        int height = ConvolutionArithmetic.OutputSize(inputShape[2], KernelSize.Height, Padding.Height, Stride.Height, Dilation.Height);
        int width = ConvolutionArithmetic.OutputSize(inputShape[3], KernelSize.Width, Padding.Width, Stride.Width, Dilation.Width);
        if (height <= 0 || width <= 0)
            throw new ArgumentException($"Conv2d({InChannels}, {OutChannels}) kernel ({KernelSize.Height}, {KernelSize.Width}) with padding ({Padding.Height}, {Padding.Width}) and dilation ({Dilation.Height}, {Dilation.Width}) does not fit input {ShapeText.Of(inputShape)} (output {height}×{width}).", "input");
        return [inputShape[0], OutChannels, height, width];
    }

    /// <summary>
    /// Emits <c>Conv</c> with <see cref="Forward"/>'s kernel, stride, zero padding (the same on both sides) and
    /// dilation, one group; <c>weight</c> and <c>bias</c> keep their PyTorch layout, which is ONNX's, and names.
    /// Shapes: [N, in_channels, H, W] → [N, out_channels, OH, OW].
    /// </summary>
    OnnxValue IOnnxExportable.ExportOnnx(OnnxGraphBuilder graph, OnnxValue input, string scope)
    {
        OnnxExport.RequireFloat(input, nameof(Conv2d));
        if (input.Rank != 4 || !input.Shape[1].Equals(OnnxDim.Fixed(InChannels)))
            throw new ArgumentException($"Conv2d({InChannels}, {OutChannels}) expects input [N, {InChannels}, H, W] but got {input}.", nameof(input));
        var shape = OnnxExport.WindowedShape(input, OutChannels, nameof(Conv2d), (size, axis) => axis == 0
            ? ConvolutionArithmetic.OutputSize(size, KernelSize.Height, Padding.Height, Stride.Height, Dilation.Height)
            : ConvolutionArithmetic.OutputSize(size, KernelSize.Width, Padding.Width, Stride.Width, Dilation.Width));
        var weight = OnnxExport.Parameter(graph, scope, "weight", Weight);
        var bias = Bias is null ? null : OnnxExport.Parameter(graph, scope, "bias", Bias);
        string output = graph.AddNode("Conv", [input.Name, weight.Name, bias?.Name ?? ""], scope,
            OnnxAttribute.Ints("dilations", Dilation.Height, Dilation.Width),
            OnnxAttribute.Int("group", 1),
            OnnxAttribute.Ints("kernel_shape", KernelSize.Height, KernelSize.Width),
            OnnxAttribute.Ints("pads", Padding.Height, Padding.Width, Padding.Height, Padding.Width),
            OnnxAttribute.Ints("strides", Stride.Height, Stride.Width));
        return input.As(output, shape: shape);
    }
}
