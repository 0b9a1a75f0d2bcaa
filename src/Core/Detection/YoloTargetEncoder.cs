namespace MLNetExt.Core.Detection;

/// <summary>
/// Encodes an image's ground-truth boxes into YOLO training targets, the course notes' label per cell and anchor:
/// y = [p_c, b_x, b_y, b_h, b_w, c₁ … c_C] in a [S_y, S_x, A, 5 + C] grid (row, column, anchor, entry), one grid per
/// scale.
/// </summary>
/// <remarks>
/// <para>Each object goes to the anchor whose shape has the highest IoU with its box (both centred at one point:
/// IoU = min(w)·min(h) / (w₁h₁ + w₂h₂ − min(w)·min(h))), over the anchors of every scale (the first on a tie); then to
/// the cell of that anchor's grid that holds its centre (cx / stride, floored; a centre on the far edge goes to the
/// last cell). There: p_c = 1; b_x, b_y = the centre's offset inside the cell, in cells ([0, 1)); b_h, b_w = the
/// box's height and width in cells (may exceed 1); the class one-hot. Every other entry is 0 (the notes' "don't
/// care" entries of an empty slot are written as 0).</para>
/// <para>A slot holds one object: a later object that picks an occupied (cell, anchor) is not placed, and is
/// counted in the returned number of objects left out.</para>
/// </remarks>
public static class YoloTargetEncoder
{
    /// <summary>Encodes one image's objects into one target per scale.</summary>
    /// <param name="boxes">[G, 4] xyxy boxes in image pixels, with x1 &lt; x2 and y1 &lt; y2.</param>
    /// <param name="classes">[G] class indices in [0, C).</param>
    /// <param name="imageWidth">The image width in pixels.</param>
    /// <param name="imageHeight">The image height in pixels.</param>
    /// <param name="classCount">C.</param>
    /// <param name="scales">The grids and their anchors.</param>
    /// <param name="targets">One target per scale, each of <see cref="YoloGridScale.TargetLength"/>; overwritten.</param>
    /// <returns>The number of objects left out because their slot was taken.</returns>
    /// <exception cref="ArgumentException">A size disagrees, a class is out of range, or a box is empty or not finite; the message names it.</exception>
    public static int Encode(ReadOnlySpan<float> boxes, ReadOnlySpan<int> classes, int imageWidth, int imageHeight, int classCount,
        IReadOnlyList<YoloGridScale> scales, IReadOnlyList<float[]> targets)
    {
        int g = BoxSpans.RequireBoxes(boxes, nameof(boxes));
        BoxSpans.RequirePerBox(classes, g, nameof(classes));
        ArgumentOutOfRangeException.ThrowIfLessThan(imageWidth, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(imageHeight, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(classCount, 1);
        ArgumentNullException.ThrowIfNull(scales);
        ArgumentNullException.ThrowIfNull(targets);
        if (scales.Count == 0) throw new ArgumentException("At least one grid scale is needed.", nameof(scales));
        if (targets.Count != scales.Count) throw new ArgumentException($"targets holds {targets.Count} grids for {scales.Count} scales.", nameof(targets));
        for (int s = 0; s < scales.Count; s++)
        {
            var scale = scales[s] ?? throw new ArgumentException($"scales[{s}] is null.", nameof(scales));
            if (scale.Rows < 1 || scale.Columns < 1 || scale.Anchors is null || scale.Anchors.Length == 0 || scale.Anchors.Length % 2 != 0
                || scale.Anchors.Any(a => !(a > 0) || !float.IsFinite(a)))
                throw new ArgumentException($"scales[{s}] needs a grid of at least 1×1 and (width, height) anchor pairs of positive sizes.", nameof(scales));
            if (targets[s] is null || targets[s].Length != scale.TargetLength(classCount))
                throw new ArgumentException($"targets[{s}] holds {targets[s]?.Length ?? 0} values; [{scale.Rows}, {scale.Columns}, {scale.AnchorCount}, {5 + classCount}] needs {scale.TargetLength(classCount)}.", nameof(targets));
            Array.Clear(targets[s]);
        }

        int leftOut = 0;
        for (int i = 0; i < g; i++)
        {
            float x1 = boxes[4 * i], y1 = boxes[4 * i + 1], x2 = boxes[4 * i + 2], y2 = boxes[4 * i + 3];
            if (!(x2 > x1) || !(y2 > y1) || !float.IsFinite(x1) || !float.IsFinite(y1) || !float.IsFinite(x2) || !float.IsFinite(y2))
                throw new ArgumentException($"boxes[{i}] = ({x1}, {y1}, {x2}, {y2}) is empty or not finite.", nameof(boxes));
            if ((uint)classes[i] >= (uint)classCount)
                throw new ArgumentException($"classes[{i}] is {classes[i]}, outside [0, {classCount}).", nameof(classes));
            float width = x2 - x1, height = y2 - y1;
            var (scaleIndex, anchor) = BestAnchor(width, height, scales);
            var scale = scales[scaleIndex];
            float cellWidth = (float)imageWidth / scale.Columns, cellHeight = (float)imageHeight / scale.Rows;
            float cx = (x1 + x2) / 2 / cellWidth, cy = (y1 + y2) / 2 / cellHeight;
            int column = Math.Clamp((int)MathF.Floor(cx), 0, scale.Columns - 1);
            int row = Math.Clamp((int)MathF.Floor(cy), 0, scale.Rows - 1);
            var slot = targets[scaleIndex].AsSpan(((row * scale.Columns + column) * scale.AnchorCount + anchor) * (5 + classCount), 5 + classCount);
            if (slot[0] == 1f)
            {
                leftOut++;
                continue;
            }
            slot[0] = 1f;
            slot[1] = cx - column;
            slot[2] = cy - row;
            slot[3] = height / cellHeight;
            slot[4] = width / cellWidth;
            slot[5 + classes[i]] = 1f;
        }
        return leftOut;
    }

    /// <summary>The IoU of two box shapes placed at the same centre: min(w)·min(h) / (w₁h₁ + w₂h₂ − min(w)·min(h)).</summary>
    public static float ShapeIou(float width1, float height1, float width2, float height2)
    {
        float intersection = MathF.Min(width1, width2) * MathF.Min(height1, height2);
        return intersection / (width1 * height1 + width2 * height2 - intersection);
    }

    private static (int Scale, int Anchor) BestAnchor(float width, float height, IReadOnlyList<YoloGridScale> scales)
    {
        (int, int) best = (0, 0);
        float bestIou = float.NegativeInfinity;
        for (int s = 0; s < scales.Count; s++)
        {
            var anchors = scales[s].Anchors;
            for (int a = 0; a < anchors.Length / 2; a++)
            {
                float iou = ShapeIou(width, height, anchors[2 * a], anchors[2 * a + 1]);
                if (iou > bestIou)
                {
                    bestIou = iou;
                    best = (s, a);
                }
            }
        }
        return best;
    }
}
