using MLNetExt.Core.Autograd;
using MLNetExt.Core.Modules;

namespace MLNetExt.Core.Ops;

/// <summary>
/// 2-D convolution, <c>torch.nn.functional.conv2d</c> (cross-correlation, no kernel flip; one group):
/// y[n, o, oh, ow] = b[o] + Σ(c, i, j) W[o, c, i, j] · x[n, c, oh·SH − PH + i·DH, ow·SW − PW + j·DW], zeros outside the input.
/// </summary>
public static class Conv2dOp
{
    /// <summary>
    /// Shapes: x [N, C, H, W], weight [O, C, KH, KW], bias [O] or null → y [N, O, OH, OW] with
    /// OH = ⌊(H + 2·PH − DH·(KH − 1) − 1)/SH⌋ + 1 and likewise OW (see <see cref="ConvolutionArithmetic.OutputSize"/>).
    /// </summary>
    /// <exception cref="ArgumentException">A shape does not match, or the kernel does not fit the padded input.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A stride or dilation is below 1 or a padding is negative.</exception>
    public static Tensor Forward(Tensor x, Tensor weight, Tensor? bias, (int Height, int Width) stride,
        (int Height, int Width) padding, (int Height, int Width) dilation, Tape? tape = null)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(weight);
        CheckSettings(stride, padding, dilation);
        if (weight.Rank != 4)
            throw new ArgumentException($"Conv2d expects weight [out_channels, in_channels, kH, kW] but got {ShapeText.Of(weight)}.", nameof(weight));
        if (x.Rank != 4 || x.Dim(1) != weight.Dim(1))
            throw new ArgumentException($"Conv2d expects input [N, {weight.Dim(1)}, H, W] for weight {ShapeText.Of(weight)} but got {ShapeText.Of(x)}.", nameof(x));
        if (bias is not null && (bias.Rank != 1 || bias.Dim(0) != weight.Dim(0)))
            throw new ArgumentException($"Conv2d expects bias [{weight.Dim(0)}] but got {ShapeText.Of(bias)}.", nameof(bias));
        int outputHeight = ConvolutionArithmetic.OutputSize(x.Dim(2), weight.Dim(2), padding.Height, stride.Height, dilation.Height);
        int outputWidth = ConvolutionArithmetic.OutputSize(x.Dim(3), weight.Dim(3), padding.Width, stride.Width, dilation.Width);
        if (outputHeight <= 0 || outputWidth <= 0)
            throw new ArgumentException($"Conv2d kernel {ShapeText.Of(weight.Shape[2..])} with padding ({padding.Height}, {padding.Width}) and dilation ({dilation.Height}, {dilation.Width}) does not fit input {ShapeText.Of(x)} (output {outputHeight}×{outputWidth}).", nameof(x));
        var settings = new ConvolutionSettings(stride.Height, stride.Width, padding.Height, padding.Width, dilation.Height, dilation.Width);
        return ConvolutionBackward.Run(x, weight, bias, [x.Dim(0), weight.Dim(0), outputHeight, outputWidth], settings, tape);
    }

    internal static void CheckSettings((int Height, int Width) stride, (int Height, int Width) padding, (int Height, int Width) dilation)
    {
        if (stride.Height < 1 || stride.Width < 1)
            throw new ArgumentOutOfRangeException(nameof(stride), stride, "Strides must be at least 1.");
        if (padding.Height < 0 || padding.Width < 0)
            throw new ArgumentOutOfRangeException(nameof(padding), padding, "Padding must not be negative.");
        if (dilation.Height < 1 || dilation.Width < 1)
            throw new ArgumentOutOfRangeException(nameof(dilation), dilation, "Dilation must be at least 1.");
    }
}
