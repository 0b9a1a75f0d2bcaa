namespace MLNetExt.Transforms.Detection;

/// <summary>
/// One model output column as the decoder reads it, resolved at fit time.
/// </summary>
/// <param name="Column">The column's name.</param>
/// <param name="Dimensions">The column's dimensions as ML.NET reports them (e.g. [1, 84, 8400]).</param>
/// <param name="Size">The number of values per row.</param>
/// <param name="Height">Anchor-grid heads: the grid rows H; otherwise 0.</param>
/// <param name="Width">Anchor-grid heads: the grid columns W; otherwise 0.</param>
/// <param name="Anchors">Anchor-grid heads: [A, 2] anchor sizes in input pixels; otherwise empty.</param>
/// <param name="XYScale">Anchor-grid heads: the scale_x_y (1 otherwise).</param>
/// <param name="BoxCount">YOLOv5/v8: N, the candidate boxes; anchor-grid heads: A·H·W.</param>
internal sealed record YoloHead(string Column, int[] Dimensions, int Size, int Height, int Width, float[] Anchors, float XYScale, int BoxCount)
{
    /// <summary>A, the anchors per cell (anchor-grid heads).</summary>
    public int AnchorCount => Anchors.Length / 2;
}
