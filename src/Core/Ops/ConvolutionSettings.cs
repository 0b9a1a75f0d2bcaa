namespace MLNetExt.Core.Ops;

/// <summary>Stride, padding and dilation of a convolution, per spatial axis (height is 0 for 1-D).</summary>
internal readonly record struct ConvolutionSettings(
    int StrideHeight, int StrideWidth,
    int PaddingHeight, int PaddingWidth,
    int DilationHeight, int DilationWidth);
