namespace MLNetExt.Core.Detection;

/// <summary>Converts boxes between <see cref="BoxFormat"/>s, as <c>torchvision.ops.box_convert</c>.</summary>
public static class BoxConversion
{
    /// <summary>
    /// Converts N boxes stored as a flat [N, 4] span from one format to another. Effectively computes, per box,
    /// xyxy = (cx − w/2, cy − h/2, cx + w/2, cy + h/2) from cxcywh and (x1, y1, x1 + w, y1 + h) from xywh, and the
    /// inverses (w = x2 − x1, cx = (x1 + x2)/2), in float32 as torchvision does.
    /// </summary>
    /// <param name="source">The boxes, [N, 4] in <paramref name="from"/>.</param>
    /// <param name="from">The layout of <paramref name="source"/>.</param>
    /// <param name="destination">Receives the boxes, [N, 4] in <paramref name="to"/>; may be the same memory as <paramref name="source"/>.</param>
    /// <param name="to">The layout wanted.</param>
    /// <exception cref="ArgumentException">A length is not a multiple of 4, or the two lengths differ.</exception>
    public static void Convert(ReadOnlySpan<float> source, BoxFormat from, Span<float> destination, BoxFormat to)
    {
        BoxSpans.RequireBoxes(source, nameof(source));
        if (destination.Length != source.Length)
            throw new ArgumentException($"destination holds {destination.Length} values; {source.Length} are needed.", nameof(destination));
        for (int i = 0; i < source.Length; i += 4)
        {
            var (x1, y1, x2, y2) = ToXyxy(source[i], source[i + 1], source[i + 2], source[i + 3], from);
            var (a, b, c, d) = FromXyxy(x1, y1, x2, y2, to);
            destination[i] = a;
            destination[i + 1] = b;
            destination[i + 2] = c;
            destination[i + 3] = d;
        }
    }

    /// <summary>The corners (x1, y1, x2, y2) of one box given in <paramref name="format"/>.</summary>
    public static (float X1, float Y1, float X2, float Y2) ToXyxy(float a, float b, float c, float d, BoxFormat format) => format switch
    {
        BoxFormat.Xyxy => (a, b, c, d),
        BoxFormat.Xywh => (a, b, a + c, b + d),
        BoxFormat.Cxcywh => (a - 0.5f * c, b - 0.5f * d, a + 0.5f * c, b + 0.5f * d),
        _ => throw new ArgumentOutOfRangeException(nameof(format), format, "Unknown box format."),
    };

    /// <summary>One box given by its corners, written in <paramref name="format"/>.</summary>
    public static (float A, float B, float C, float D) FromXyxy(float x1, float y1, float x2, float y2, BoxFormat format) => format switch
    {
        BoxFormat.Xyxy => (x1, y1, x2, y2),
        BoxFormat.Xywh => (x1, y1, x2 - x1, y2 - y1),
        BoxFormat.Cxcywh => ((x1 + x2) / 2, (y1 + y2) / 2, x2 - x1, y2 - y1),
        _ => throw new ArgumentOutOfRangeException(nameof(format), format, "Unknown box format."),
    };
}
