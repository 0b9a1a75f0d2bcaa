using MLNetExt.Core.Modules;

namespace MLNetExt.Core.Ops;

/// <summary>Window, stride and padding of a 2-D pooling, validated as PyTorch does.</summary>
internal readonly record struct PoolingSettings(
    int KernelHeight, int KernelWidth,
    int StrideHeight, int StrideWidth,
    int PaddingHeight, int PaddingWidth,
    bool CountIncludePad)
{
    public static PoolingSettings Create(string layer, (int Height, int Width) kernelSize, (int Height, int Width) stride,
        (int Height, int Width) padding, bool countIncludePad = true)
    {
        if (kernelSize.Height < 1 || kernelSize.Width < 1)
            throw new ArgumentOutOfRangeException(nameof(kernelSize), kernelSize, $"{layer} kernel sizes must be at least 1.");
        if (stride.Height < 1 || stride.Width < 1)
            throw new ArgumentOutOfRangeException(nameof(stride), stride, $"{layer} strides must be at least 1.");
        if (padding.Height < 0 || padding.Width < 0 || padding.Height > kernelSize.Height / 2 || padding.Width > kernelSize.Width / 2)
            throw new ArgumentOutOfRangeException(nameof(padding), padding, $"{layer} padding must be between 0 and half the kernel size ({kernelSize.Height}, {kernelSize.Width}).");
        return new(kernelSize.Height, kernelSize.Width, stride.Height, stride.Width, padding.Height, padding.Width, countIncludePad);
    }

    /// <summary>[N, C, OH, OW] for an input [N, C, H, W]; throws naming <paramref name="layer"/> when the input does not fit.</summary>
    public int[] OutputShape(string layer, ReadOnlySpan<int> inputShape)
    {
        var (outputHeight, outputWidth) = OutputSize(layer, inputShape);
        return [inputShape[0], inputShape[1], outputHeight, outputWidth];
    }

    /// <summary>(OH, OW) for an input [N, C, H, W]; throws naming <paramref name="layer"/> when the input does not fit.</summary>
    public (int Height, int Width) OutputSize(string layer, ReadOnlySpan<int> inputShape)
    {
        if (inputShape.Length != 4)
            throw new ArgumentException($"{layer} expects input [N, C, H, W] but got {ShapeText.Of(inputShape)}.", "input");
        int outputHeight = ConvolutionArithmetic.OutputSize(inputShape[2], KernelHeight, PaddingHeight, StrideHeight);
        int outputWidth = ConvolutionArithmetic.OutputSize(inputShape[3], KernelWidth, PaddingWidth, StrideWidth);
        if (outputHeight <= 0 || outputWidth <= 0)
            throw new ArgumentException($"{layer} window ({KernelHeight}, {KernelWidth}) with padding ({PaddingHeight}, {PaddingWidth}) does not fit input {ShapeText.Of(inputShape)} (output {outputHeight}×{outputWidth}).", "input");
        return (outputHeight, outputWidth);
    }
}
