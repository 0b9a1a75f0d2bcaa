using MLNetExt.Core.Autograd;
using MLNetExt.Core.Ops;

namespace MLNetExt.Core.Modules;

/// <summary>
/// 2-D average pooling, <c>torch.nn.AvgPool2d</c> (see <see cref="AvgPool2dOp"/>): the mean of each window, the
/// zero padding counted in the divisor unless <see cref="CountIncludePad"/> is false. Shapes: input [N, C, H, W] →
/// output [N, C, OH, OW], OH = ⌊(H + 2·PH − KH)/SH⌋ + 1. No parameters.
/// </summary>
public sealed class AvgPool2d : Module
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
}
