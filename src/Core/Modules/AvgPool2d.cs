using MLNetExt.Core.Autograd;
using MLNetExt.Core.Ops;
using MLNetExt.Core.Onnx;

namespace MLNetExt.Core.Modules;

/// <summary>
/// 2-D average pooling, <c>torch.nn.AvgPool2d</c> (see <see cref="AvgPool2dOp"/>): the mean of each window, the
/// zero padding counted in the divisor unless <see cref="CountIncludePad"/> is false. Shapes: input [N, C, H, W] →
/// output [N, C, OH, OW], OH = ⌊(H + 2·PH − KH)/SH⌋ + 1. No parameters.
/// </summary>
public sealed class AvgPool2d : Module, IOnnxExportable
{
    /// <summary>Square windows; the stride defaults to the kernel size, as in PyTorch.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The kernel size or stride is below 1, or padding is negative or more than half the kernel.</exception>
    public AvgPool2d(int kernelSize, int? stride = null, int padding = 0, bool countIncludePad = true)
        : this((kernelSize, kernelSize), (stride ?? kernelSize, stride ?? kernelSize), (padding, padding), countIncludePad)
    {
    }

    /// <summary>Per-axis (height, width) window, stride and padding.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A kernel size or stride is below 1, or a padding is negative or more than half the kernel.</exception>
    public AvgPool2d((int Height, int Width) kernelSize, (int Height, int Width) stride, (int Height, int Width) padding, bool countIncludePad = true)
    {
        PoolingSettings.Create(nameof(AvgPool2d), kernelSize, stride, padding, countIncludePad);
        KernelSize = kernelSize;
        Stride = stride;
        Padding = padding;
        CountIncludePad = countIncludePad;
    }

    /// <summary>The window's (height, width).</summary>
    public (int Height, int Width) KernelSize { get; }

    /// <summary>The step between windows, per axis.</summary>
    public (int Height, int Width) Stride { get; }

    /// <summary>The zero padding on each side, per axis.</summary>
    public (int Height, int Width) Padding { get; }

    /// <summary>When true (PyTorch's default), padded zeros count in each window's divisor.</summary>
    public bool CountIncludePad { get; }

    /// <inheritdoc />
    public override Tensor Forward(Tensor input, Tape? tape = null) => AvgPool2dOp.Forward(input, KernelSize, Stride, Padding, CountIncludePad, tape);

    /// <inheritdoc />
    public override int[] OutputShape(ReadOnlySpan<int> inputShape)
        => PoolingSettings.Create(nameof(AvgPool2d), KernelSize, Stride, Padding, CountIncludePad).OutputShape(nameof(AvgPool2d), inputShape);

    /// <summary>
    /// Emits <c>AveragePool</c> with <see cref="Forward"/>'s window, stride and padding, <c>ceil_mode</c> 0 and
    /// <c>count_include_pad</c> = <see cref="CountIncludePad"/>. Without ceil mode no window reaches past the padding,
    /// so ONNX's divisor (the window size, or the real elements in it) is the engine's.
    /// Shapes: [N, C, H, W] → [N, C, OH, OW].
    /// </summary>
    OnnxValue IOnnxExportable.ExportOnnx(OnnxGraphBuilder graph, OnnxValue input, string scope)
    {
        OnnxExport.RequireFloat(input, nameof(AvgPool2d));
        if (input.Rank != 4)
            throw new ArgumentException($"AvgPool2d expects input [N, C, H, W] but got {input}.", nameof(input));
        var shape = OnnxExport.WindowedShape(input, input.Shape[1], nameof(AvgPool2d), (size, axis) => axis == 0
            ? ConvolutionArithmetic.OutputSize(size, KernelSize.Height, Padding.Height, Stride.Height)
            : ConvolutionArithmetic.OutputSize(size, KernelSize.Width, Padding.Width, Stride.Width));
        string output = graph.AddNode("AveragePool", [input.Name], scope,
            OnnxAttribute.Int("ceil_mode", 0),
            OnnxAttribute.Int("count_include_pad", CountIncludePad ? 1 : 0),
            OnnxAttribute.Ints("kernel_shape", KernelSize.Height, KernelSize.Width),
            OnnxAttribute.Ints("pads", Padding.Height, Padding.Width, Padding.Height, Padding.Width),
            OnnxAttribute.Ints("strides", Stride.Height, Stride.Width));
        return input.As(output, shape: shape);
    }
}
