using System.Numerics.Tensors;

namespace MLNetExt.Core.Ops;

/// <summary>
/// The im2col lowering that turns a convolution into one matrix product, and its adjoint col2im.
/// </summary>
/// <remarks>
/// Shapes (one image; see <see cref="ConvolutionGeometry"/>):
/// <code>
/// Forward:  x [C, H, W] → cols [C·KH·KW, OH·OW]
///           cols[(c·KH + i)·KW + j, oh·OW + ow] = x[c, oh·SH − PH + i·DH, ow·SW − PW + j·DW]   (0 in the padding)
/// Backward: dX [C, H, W] += col2im(dCols), the transpose of Forward: every column entry is added back to the
///           input element it was copied from.
/// </code>
/// </remarks>
internal static class Im2Col
{
    public static void Forward(in ConvolutionGeometry g, ReadOnlySpan<float> x, Span<float> cols)
    {
        int positions = g.ColumnCount, plane = g.Height * g.Width;
        for (int c = 0; c < g.Channels; c++)
        {
            var image = x.Slice(c * plane, plane);
            for (int i = 0; i < g.KernelHeight; i++)
            {
                for (int j = 0; j < g.KernelWidth; j++)
                {
                    var row = cols.Slice(((c * g.KernelHeight + i) * g.KernelWidth + j) * positions, positions);
                    int columnOffset = j * g.DilationWidth - g.PaddingWidth;
                    var (first, end) = ValidRange(columnOffset, g.StrideWidth, g.Width, g.OutputWidth);
                    for (int oh = 0; oh < g.OutputHeight; oh++)
                    {
                        var destination = row.Slice(oh * g.OutputWidth, g.OutputWidth);
                        int ih = oh * g.StrideHeight - g.PaddingHeight + i * g.DilationHeight;
                        if ((uint)ih >= (uint)g.Height || first >= end)
                        {
                            destination.Clear();
                            continue;
                        }
                        destination[..first].Clear();
                        destination[end..].Clear();
                        var source = image.Slice(ih * g.Width, g.Width);
                        if (g.StrideWidth == 1)
                        {
                            source.Slice(first + columnOffset, end - first).CopyTo(destination[first..end]);
                        }
                        else
                        {
                            for (int ow = first; ow < end; ow++) destination[ow] = source[ow * g.StrideWidth + columnOffset];
                        }
                    }
                }
            }
        }
    }

    public static void Backward(in ConvolutionGeometry g, ReadOnlySpan<float> dCols, Span<float> dX)
    {
        int positions = g.ColumnCount, plane = g.Height * g.Width;
        for (int c = 0; c < g.Channels; c++)
        {
            var image = dX.Slice(c * plane, plane);
            for (int i = 0; i < g.KernelHeight; i++)
            {
                for (int j = 0; j < g.KernelWidth; j++)
                {
                    var row = dCols.Slice(((c * g.KernelHeight + i) * g.KernelWidth + j) * positions, positions);
                    int columnOffset = j * g.DilationWidth - g.PaddingWidth;
                    var (first, end) = ValidRange(columnOffset, g.StrideWidth, g.Width, g.OutputWidth);
                    if (first >= end) continue;
                    for (int oh = 0; oh < g.OutputHeight; oh++)
                    {
                        int ih = oh * g.StrideHeight - g.PaddingHeight + i * g.DilationHeight;
                        if ((uint)ih >= (uint)g.Height) continue;
                        var source = row.Slice(oh * g.OutputWidth, g.OutputWidth);
                        var destination = image.Slice(ih * g.Width, g.Width);
                        if (g.StrideWidth == 1)
                        {
                            var target = destination.Slice(first + columnOffset, end - first);
                            TensorPrimitives.Add(target, source[first..end], target);
                        }
                        else
                        {
                            for (int ow = first; ow < end; ow++) destination[ow * g.StrideWidth + columnOffset] += source[ow];
                        }
                    }
                }
            }
        }
    }

    /// <summary>The output columns [first, end) whose input column ow·stride + offset lies inside [0, width).</summary>
    private static (int First, int End) ValidRange(int offset, int stride, int width, int outputWidth)
    {
        int first = offset >= 0 ? 0 : (-offset + stride - 1) / stride;
        int lastInput = width - 1 - offset;
        int end = lastInput < 0 ? 0 : Math.Min(outputWidth, lastInput / stride + 1);
        first = Math.Min(first, outputWidth);
        return (first, Math.Max(first, end));
    }
}
