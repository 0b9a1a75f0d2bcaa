namespace MLNetExt.Core.Detection;

/// <summary>One output grid of a YOLO head for <see cref="YoloTargetEncoder"/>: its size and its anchors.</summary>
/// <param name="Rows">S_y, the grid rows (image height / stride).</param>
/// <param name="Columns">S_x, the grid columns (image width / stride).</param>
/// <param name="Anchors">[A, 2] anchor (width, height) pairs in image pixels.</param>
public sealed record YoloGridScale(int Rows, int Columns, float[] Anchors)
{
    /// <summary>A, the anchors per cell.</summary>
    public int AnchorCount => Anchors.Length / 2;

    /// <summary>The target length for C classes: S_y·S_x·A·(5 + C).</summary>
    public int TargetLength(int classCount) => Rows * Columns * AnchorCount * (5 + classCount);
}
