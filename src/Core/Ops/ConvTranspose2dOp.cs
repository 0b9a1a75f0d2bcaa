using MLNetExt.Core.Autograd;
using MLNetExt.Core.Modules;

namespace MLNetExt.Core.Ops;

/// <summary>
/// 2-D transposed convolution, <c>torch.nn.functional.conv_transpose2d</c> (one group): the gradient of
/// <see cref="Conv2dOp"/> with respect to its input, used as a learnable upsampling. Each input pixel scatters
/// W[c, :, :, :] · x[n, c, h, w] into the output window at (h·SH − PH, w·SW − PW), taps spaced by the dilation.
/// </summary>
public static class ConvTranspose2dOp
{
    /// <summary>
    /// Shapes: x [N, Cin, H, W], weight [Cin, Cout, KH, KW], bias [Cout] or null → y [N, Cout, OH, OW] with
    /// OH = (H − 1)·SH − 2·PH + DH·(KH − 1) + output_padding_H + 1 and likewise OW
    /// (see <see cref="ConvolutionArithmetic.TransposedOutputSize"/>).
    /// </summary>
    /// <exception cref="ArgumentException">A shape does not match, or the output would be empty.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A stride or dilation is below 1, a padding is negative, or an
    /// output padding is not smaller than its stride or dilation.</exception>
    public static Tensor Forward(Tensor x, Tensor weight, Tensor? bias, (int Height, int Width) stride,
        (int Height, int Width) padding, (int Height, int Width) outputPadding, (int Height, int Width) dilation, Tape? tape = null)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(weight);
        Conv2dOp.CheckSettings(stride, padding, dilation);
        if (outputPadding.Height < 0 || outputPadding.Width < 0
            || (outputPadding.Height >= stride.Height && outputPadding.Height >= dilation.Height)
            || (outputPadding.Width >= stride.Width && outputPadding.Width >= dilation.Width))
            throw new ArgumentOutOfRangeException(nameof(outputPadding), outputPadding, $"Output padding must be non-negative and smaller than the stride ({stride.Height}, {stride.Width}) or the dilation ({dilation.Height}, {dilation.Width}).");
        if (weight.Rank != 4)
            throw new ArgumentException($"ConvTranspose2d expects weight [in_channels, out_channels, kH, kW] but got {ShapeText.Of(weight)}.", nameof(weight));
        if (x.Rank != 4 || x.Dim(1) != weight.Dim(0))
            throw new ArgumentException($"ConvTranspose2d expects input [N, {weight.Dim(0)}, H, W] for weight {ShapeText.Of(weight)} but got {ShapeText.Of(x)}.", nameof(x));
        if (bias is not null && (bias.Rank != 1 || bias.Dim(0) != weight.Dim(1)))
            throw new ArgumentException($"ConvTranspose2d expects bias [{weight.Dim(1)}] but got {ShapeText.Of(bias)}.", nameof(bias));
        int outputHeight = ConvolutionArithmetic.TransposedOutputSize(x.Dim(2), weight.Dim(2), padding.Height, stride.Height, dilation.Height, outputPadding.Height);
        int outputWidth = ConvolutionArithmetic.TransposedOutputSize(x.Dim(3), weight.Dim(3), padding.Width, stride.Width, dilation.Width, outputPadding.Width);
        if (outputHeight <= 0 || outputWidth <= 0)
            throw new ArgumentException($"ConvTranspose2d with padding ({padding.Height}, {padding.Width}) on input {ShapeText.Of(x)} and weight {ShapeText.Of(weight)} gives an empty output ({outputHeight}×{outputWidth}).", nameof(x));
        var settings = new ConvolutionSettings(stride.Height, stride.Width, padding.Height, padding.Width, dilation.Height, dilation.Width);
        return ConvTranspose2dBackward.Run(x, weight, bias, [x.Dim(0), weight.Dim(1), outputHeight, outputWidth], settings, tape);
    }
}
