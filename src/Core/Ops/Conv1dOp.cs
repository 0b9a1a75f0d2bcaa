using MLNetExt.Core.Autograd;
using MLNetExt.Core.Modules;

namespace MLNetExt.Core.Ops;

/// <summary>
/// 1-D convolution, <c>torch.nn.functional.conv1d</c> (cross-correlation, no kernel flip; one group):
/// y[n, o, t] = b[o] + Σ(c, j) W[o, c, j] · x[n, c, t·S − P + j·D], zeros outside the input.
/// </summary>
public static class Conv1dOp
{
    /// <summary>
    /// Shapes: x [N, C, L], weight [O, C, K], bias [O] or null → y [N, O, Lout] with
    /// Lout = ⌊(L + 2P − D·(K − 1) − 1)/S⌋ + 1 (see <see cref="ConvolutionArithmetic.OutputSize"/>).
    /// </summary>
    /// <exception cref="ArgumentException">A shape does not match, or the kernel does not fit the padded input.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The stride or dilation is below 1 or the padding is negative.</exception>
    public static Tensor Forward(Tensor x, Tensor weight, Tensor? bias, int stride = 1, int padding = 0, int dilation = 1, Tape? tape = null)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(weight);
        ArgumentOutOfRangeException.ThrowIfLessThan(stride, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(padding);
        ArgumentOutOfRangeException.ThrowIfLessThan(dilation, 1);
        if (weight.Rank != 3)
            throw new ArgumentException($"Conv1d expects weight [out_channels, in_channels, k] but got {ShapeText.Of(weight)}.", nameof(weight));
        if (x.Rank != 3 || x.Dim(1) != weight.Dim(1))
            throw new ArgumentException($"Conv1d expects input [N, {weight.Dim(1)}, L] for weight {ShapeText.Of(weight)} but got {ShapeText.Of(x)}.", nameof(x));
        if (bias is not null && (bias.Rank != 1 || bias.Dim(0) != weight.Dim(0)))
            throw new ArgumentException($"Conv1d expects bias [{weight.Dim(0)}] but got {ShapeText.Of(bias)}.", nameof(bias));
        int outputLength = ConvolutionArithmetic.OutputSize(x.Dim(2), weight.Dim(2), padding, stride, dilation);
        if (outputLength <= 0)
            throw new ArgumentException($"Conv1d kernel of {weight.Dim(2)} with padding {padding} and dilation {dilation} does not fit input {ShapeText.Of(x)} (output length {outputLength}).", nameof(x));
        var settings = new ConvolutionSettings(1, stride, 0, padding, 1, dilation);
        return ConvolutionBackward.Run(x, weight, bias, [x.Dim(0), weight.Dim(0), outputLength], settings, tape);
    }
}
