namespace MLNetExt.Core.Ops;

/// <summary>
/// The full geometry of one image's convolution: a [Channels, Height, Width] input scanned by a
/// [KernelHeight, KernelWidth] window into an [OutputHeight, OutputWidth] grid. A 1-D convolution is the case
/// Height = KernelHeight = OutputHeight = 1.
/// </summary>
internal readonly record struct ConvolutionGeometry(
    int Channels, int Height, int Width,
    int KernelHeight, int KernelWidth,
    int StrideHeight, int StrideWidth,
    int PaddingHeight, int PaddingWidth,
    int DilationHeight, int DilationWidth,
    int OutputHeight, int OutputWidth)
{
    /// <summary>Rows of the im2col matrix: C·KH·KW.</summary>
    public int ColumnRows => Channels * KernelHeight * KernelWidth;

    /// <summary>Columns of the im2col matrix: OH·OW, one per window position.</summary>
    public int ColumnCount => OutputHeight * OutputWidth;

    /// <summary>Elements of one input image: C·H·W.</summary>
    public int InputSize => Channels * Height * Width;

    /// <summary>
    /// True for a 1×1 kernel at stride 1 without padding, where the im2col matrix is the input itself, so the copy is skipped.
    /// </summary>
    public bool IsPointwise => KernelHeight == 1 && KernelWidth == 1 && StrideHeight == 1 && StrideWidth == 1
        && PaddingHeight == 0 && PaddingWidth == 0;
}
