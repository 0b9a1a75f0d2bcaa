namespace MLNetExt.Transforms.Detection;

/// <summary>
/// One model output column as the decoder reads it, resolved at fit time.
/// </summary>
/// <param name="Column">The column's name.</param>
/// <param name="Dimensions">The column's dimensions as ML.NET reports them (e.g. [1, 84, 8400]).</param>
/// <param name="Size">The number of values per row.</param>
/// <param name="Height">Darknet heads: the grid rows H; otherwise 0.</param>
/// <param name="Width">Darknet heads: the grid columns W; otherwise 0.</param>
/// <param name="Anchors">Darknet heads: [A, 2] anchor sizes in input pixels; otherwise empty.</param>
/// <param name="XYScale">Darknet heads: YOLOv4's scale_x_y (1 otherwise).</param>
/// <param name="BoxCount">YOLOv5/v8: N, the candidate boxes; darknet heads: A·H·W.</param>
internal sealed record YoloHead(string Column, int[] Dimensions, int Size, int Height, int Width, float[] Anchors, float XYScale, int BoxCount)
{
    /// <summary>A, the anchors per cell (darknet heads).</summary>
    public int AnchorCount => Anchors.Length / 2;
}
