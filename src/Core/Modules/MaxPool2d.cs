using MLNetExt.Core.Autograd;
using MLNetExt.Core.Ops;
using MLNetExt.Core.Onnx;

namespace MLNetExt.Core.Modules;

/// <summary>
/// 2-D max pooling, <c>torch.nn.MaxPool2d</c> (see <see cref="MaxPool2dOp"/>): the maximum of each window; the
/// gradient flows only to the (first) maximum. Shapes: input [N, C, H, W] → output [N, C, OH, OW],
/// OH = ⌊(H + 2·PH − KH)/SH⌋ + 1. No parameters.
/// </summary>
public sealed class MaxPool2d : Module, IOnnxExportable
{
    /// <summary>Square windows; the stride defaults to the kernel size, as in PyTorch.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The kernel size or stride is below 1, or padding is negative or more than half the kernel.</exception>
    public MaxPool2d(int kernelSize, int? stride = null, int padding = 0)
        : this((kernelSize, kernelSize), (stride ?? kernelSize, stride ?? kernelSize), (padding, padding))
    {
    }

    /// <summary>Per-axis (height, width) window, stride and padding.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A kernel size or stride is below 1, or a padding is negative or more than half the kernel.</exception>
    public MaxPool2d((int Height, int Width) kernelSize, (int Height, int Width) stride, (int Height, int Width) padding)
    {
        PoolingSettings.Create(nameof(MaxPool2d), kernelSize, stride, padding);
        KernelSize = kernelSize;
        Stride = stride;
        Padding = padding;
    }

    /// <summary>The window's (height, width).</summary>
    public (int Height, int Width) KernelSize { get; }

    /// <summary>The step between windows, per axis.</summary>
    public (int Height, int Width) Stride { get; }

    /// <summary>The −∞ padding on each side, per axis.</summary>
    public (int Height, int Width) Padding { get; }

    /// <inheritdoc />
    public override Tensor Forward(Tensor input, Tape? tape = null) => MaxPool2dOp.Forward(input, KernelSize, Stride, Padding, tape);

    /// <inheritdoc />
    public override int[] OutputShape(ReadOnlySpan<int> inputShape)
        => PoolingSettings.Create(nameof(MaxPool2d), KernelSize, Stride, Padding).OutputShape(nameof(MaxPool2d), inputShape);

    /// <summary>
    /// Emits <c>MaxPool</c> with <see cref="Forward"/>'s window, stride and padding (which ONNX, like the engine,
    /// never picks), <c>ceil_mode</c> 0. Shapes: [N, C, H, W] → [N, C, OH, OW].
    /// </summary>
    /// <remarks>A NaN in a window is the engine's maximum, as in PyTorch; ONNX does not say, and ONNX Runtime's
    /// comparison may pass over it.</remarks>
    OnnxValue IOnnxExportable.ExportOnnx(OnnxGraphBuilder graph, OnnxValue input, string scope)
    {
        OnnxExport.RequireFloat(input, nameof(MaxPool2d));
        if (input.Rank != 4)
            throw new ArgumentException($"MaxPool2d expects input [N, C, H, W] but got {input}.", nameof(input));
        var shape = OnnxExport.WindowedShape(input, input.Shape[1], nameof(MaxPool2d), (size, axis) => axis == 0
            ? ConvolutionArithmetic.OutputSize(size, KernelSize.Height, Padding.Height, Stride.Height)
            : ConvolutionArithmetic.OutputSize(size, KernelSize.Width, Padding.Width, Stride.Width));
        string output = graph.AddNode("MaxPool", [input.Name], scope,
            OnnxAttribute.Int("ceil_mode", 0),
            OnnxAttribute.Ints("kernel_shape", KernelSize.Height, KernelSize.Width),
            OnnxAttribute.Ints("pads", Padding.Height, Padding.Width, Padding.Height, Padding.Width),
            OnnxAttribute.Ints("strides", Stride.Height, Stride.Width));
        return input.As(output, shape: shape);
    }
}
