using MLNetExt.Core.Autograd;
using MLNetExt.Core.Ops;
using MLNetExt.Core.Onnx;

namespace MLNetExt.Core.Modules;

/// <summary>
/// A 1-D convolution layer, <c>torch.nn.Conv1d</c> (one group, zero padding): y[n, o, t] = b[o] +
/// Σ(c, j) W[o, c, j] · x[n, c, t·S − P + j·D]. Shapes: input [N, in_channels, L] → output [N, out_channels, Lout],
/// Lout = ⌊(L + 2P − D·(K − 1) − 1)/S⌋ + 1; <c>weight</c> [out_channels, in_channels, K], <c>bias</c> [out_channels].
/// </summary>
/// <remarks>
/// Initialized as PyTorch does: weight ~ kaiming_uniform(a = √5), i.e. U(−1/√fan_in, 1/√fan_in), and bias ~
/// U(−1/√fan_in, 1/√fan_in), where fan_in = in_channels·K.
/// </remarks>
public sealed class Conv1d : Module, IOnnxExportable
{
    /// <summary>Creates the layer, drawing initial weights from <paramref name="random"/> (default: <see cref="RandomSource.Default"/>).</summary>
    /// <exception cref="ArgumentOutOfRangeException">A channel count, the kernel size, stride or dilation is below 1, or padding is negative.</exception>
    public Conv1d(int inChannels, int outChannels, int kernelSize, int stride = 1, int padding = 0, int dilation = 1,
        bool bias = true, RandomSource? random = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(inChannels, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(outChannels, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(kernelSize, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(stride, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(padding);
        ArgumentOutOfRangeException.ThrowIfLessThan(dilation, 1);
        InChannels = inChannels;
        OutChannels = outChannels;
        KernelSize = kernelSize;
        Stride = stride;
        Padding = padding;
        Dilation = dilation;
        random ??= RandomSource.Default;
        float bound = 1f / MathF.Sqrt(inChannels * kernelSize);
        Weight = RegisterParameter("weight", new Tensor(outChannels, inChannels, kernelSize));
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

    /// <summary>The kernel length.</summary>
    public int KernelSize { get; }

    /// <summary>The step between windows.</summary>
    public int Stride { get; }

    /// <summary>Zeros added at each end of the input.</summary>
    public int Padding { get; }

    /// <summary>The spacing between kernel taps.</summary>
    public int Dilation { get; }

    /// <summary>The filters, [out_channels, in_channels, K].</summary>
    public Tensor Weight { get; }

    /// <summary>The bias, [out_channels], or null when created without one.</summary>
    public Tensor? Bias { get; }

    /// <inheritdoc />
    public override Tensor Forward(Tensor input, Tape? tape = null)
    {
        // The op checks the geometry too; this names the layer when the input does not belong to it.
        if (input.Rank != 3 || input.Dim(1) != InChannels) OutputShape(input.Shape);
        return Conv1dOp.Forward(input, Weight, Bias, Stride, Padding, Dilation, tape);
    }

    /// <inheritdoc />
    public override int[] OutputShape(ReadOnlySpan<int> inputShape)
    {
        if (inputShape.Length != 3 || inputShape[1] != InChannels)
            throw new ArgumentException($"Conv1d({InChannels}, {OutChannels}) expects input [N, {InChannels}, L] but got {ShapeText.Of(inputShape)}.", "input");
        int length = ConvolutionArithmetic.OutputSize(inputShape[2], KernelSize, Padding, Stride, Dilation);
        if (length <= 0)
            throw new ArgumentException($"Conv1d({InChannels}, {OutChannels}) kernel {KernelSize} with padding {Padding} and dilation {Dilation} does not fit input {ShapeText.Of(inputShape)} (output length {length}).", "input");
        return [inputShape[0], OutChannels, length];
    }

    /// <summary>
    /// Emits <c>Conv</c> with <see cref="Forward"/>'s kernel, stride, zero padding (the same at both ends) and
    /// dilation, one group; <c>weight</c> and <c>bias</c> keep their PyTorch layout, which is ONNX's, and names.
    /// Shapes: [N, in_channels, L] → [N, out_channels, Lout].
    /// </summary>
    OnnxValue IOnnxExportable.ExportOnnx(OnnxGraphBuilder graph, OnnxValue input, string scope)
    {
        OnnxExport.RequireFloat(input, nameof(Conv1d));
        if (input.Rank != 3 || !input.Shape[1].Equals(OnnxDim.Fixed(InChannels)))
            throw new ArgumentException($"Conv1d({InChannels}, {OutChannels}) expects input [N, {InChannels}, L] but got {input}.", nameof(input));
        var shape = OnnxExport.WindowedShape(input, OutChannels, nameof(Conv1d),
            (size, _) => ConvolutionArithmetic.OutputSize(size, KernelSize, Padding, Stride, Dilation));
        var weight = OnnxExport.Parameter(graph, scope, "weight", Weight);
        var bias = Bias is null ? null : OnnxExport.Parameter(graph, scope, "bias", Bias);
        string output = graph.AddNode("Conv", [input.Name, weight.Name, bias?.Name ?? ""], scope,
            OnnxAttribute.Ints("dilations", Dilation),
            OnnxAttribute.Int("group", 1),
            OnnxAttribute.Ints("kernel_shape", KernelSize),
            OnnxAttribute.Ints("pads", Padding, Padding),
            OnnxAttribute.Ints("strides", Stride));
        return input.As(output, shape: shape);
    }
}
