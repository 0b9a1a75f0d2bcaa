namespace MLNetExt.Core.Modules;

/// <summary>
/// Output sizes of convolution and pooling windows along one spatial axis (PyTorch's formulas, <c>ceil_mode=False</c>).
/// </summary>
public static class ConvolutionArithmetic
{
    /// <summary>
    /// The number of window positions: ⌊(W + 2P − D·(F − 1) − 1) / S⌋ + 1, which for D = 1 is the familiar
    /// (W − F + 2P)/S + 1 rounded down. Zero or negative when the (dilated) kernel does not fit the padded input.
    /// </summary>
    /// <param name="inputSize">W, the input length along the axis (≥ 0).</param>
    /// <param name="kernelSize">F, the kernel length (≥ 1).</param>
    /// <param name="padding">P, zeros added at each end (≥ 0).</param>
    /// <param name="stride">S, the step between windows (≥ 1).</param>
    /// <param name="dilation">D, the spacing between kernel taps (≥ 1).</param>
    /// <exception cref="ArgumentOutOfRangeException">An argument is outside the range stated above.</exception>
    public static int OutputSize(int inputSize, int kernelSize, int padding, int stride, int dilation = 1)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(inputSize);
        ArgumentOutOfRangeException.ThrowIfLessThan(kernelSize, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(padding);
        ArgumentOutOfRangeException.ThrowIfLessThan(stride, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(dilation, 1);
        long span = inputSize + 2L * padding - (long)dilation * (kernelSize - 1) - 1;
        // Floor division, so that a kernel that does not fit yields a size ≤ 0 rather than C#'s truncation towards zero.
        long windows = (span >= 0 ? span / stride : -((-span + stride - 1) / stride)) + 1;
        return (int)Math.Clamp(windows, int.MinValue, int.MaxValue);
    }

    /// <summary>
    /// The output length of a transposed convolution: (W − 1)·S − 2P + D·(F − 1) + output_padding + 1, the input
    /// length of the convolution it is the gradient of. Zero or negative when the padding eats the whole output.
    /// </summary>
    /// <param name="inputSize">W, the input length along the axis (≥ 0).</param>
    /// <param name="kernelSize">F, the kernel length (≥ 1).</param>
    /// <param name="padding">P, removed from each end of the output (≥ 0).</param>
    /// <param name="stride">S, the upsampling step (≥ 1).</param>
    /// <param name="dilation">D, the spacing between kernel taps (≥ 1).</param>
    /// <param name="outputPadding">Extra length added at the end (≥ 0, less than S or D as PyTorch requires).</param>
    /// <exception cref="ArgumentOutOfRangeException">An argument is outside the range stated above.</exception>
    public static int TransposedOutputSize(int inputSize, int kernelSize, int padding, int stride, int dilation = 1, int outputPadding = 0)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(inputSize);
        ArgumentOutOfRangeException.ThrowIfLessThan(kernelSize, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(padding);
        ArgumentOutOfRangeException.ThrowIfLessThan(stride, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(dilation, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(outputPadding);
        if (outputPadding >= stride && outputPadding >= dilation)
            throw new ArgumentOutOfRangeException(nameof(outputPadding), outputPadding, $"Output padding must be smaller than the stride ({stride}) or the dilation ({dilation}).");
        long size = (long)(inputSize - 1) * stride - 2L * padding + (long)dilation * (kernelSize - 1) + outputPadding + 1;
        return (int)Math.Clamp(size, int.MinValue, int.MaxValue);
    }
}
