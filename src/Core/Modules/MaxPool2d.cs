using MLNetExt.Core.Autograd;
using MLNetExt.Core.Ops;

namespace MLNetExt.Core.Modules;

/// <summary>
/// 2-D max pooling, <c>torch.nn.MaxPool2d</c> (see <see cref="MaxPool2dOp"/>): the maximum of each window; the
/// gradient flows only to the (first) maximum. Shapes: input [N, C, H, W] → output [N, C, OH, OW],
/// OH = ⌊(H + 2·PH − KH)/SH⌋ + 1. No parameters.
/// </summary>
public sealed class MaxPool2d : Module
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
}
