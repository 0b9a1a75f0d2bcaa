using MLNetExt.Core.Detection;

namespace MLNetExt.Core.Tests.Detection;

/// <summary>Head outputs that decode exactly onto given targets: the inverse of YOLOv2's decoding, for the loss and decoder tests.</summary>
internal static class YoloTestHeads
{
    /// <summary>
    /// A [B, A·(5 + C), S_y, S_x] head whose every object slot decodes to its target box (tx = logit(b_x),
    /// tw = ln(b_w·cellWidth / anchorW), …), with objectness and class logits ±<paramref name="confidence"/>.
    /// </summary>
    /// <param name="targets">[B] the encoder's target of each image for <paramref name="scale"/>.</param>
    /// <param name="scale">The grid and its anchors in pixels.</param>
    /// <param name="imageWidth">The image width in pixels.</param>
    /// <param name="imageHeight">The image height in pixels.</param>
    /// <param name="classCount">C.</param>
    /// <param name="confidence">The magnitude of the objectness and class logits.</param>
    public static Tensor FromTargets(IReadOnlyList<float[]> targets, YoloGridScale scale, int imageWidth, int imageHeight, int classCount, float confidence = 12f)
    {
        int anchors = scale.AnchorCount, cells = scale.Rows * scale.Columns, entries = 5 + classCount;
        float cellWidth = (float)imageWidth / scale.Columns, cellHeight = (float)imageHeight / scale.Rows;
        var head = new Tensor(targets.Count, anchors * entries, scale.Rows, scale.Columns);
        for (int b = 0; b < targets.Count; b++)
            for (int cell = 0; cell < cells; cell++)
                for (int a = 0; a < anchors; a++)
                {
                    var slot = targets[b].AsSpan((cell * anchors + a) * entries, entries);
                    int Channel(int entry) => ((b * anchors + a) * entries + entry) * cells + cell;
                    head.Data[Channel(4)] = slot[0] == 1 ? confidence : -confidence;
                    if (slot[0] == 0) continue;
                    head.Data[Channel(0)] = Logit(slot[1]);
                    head.Data[Channel(1)] = Logit(slot[2]);
                    head.Data[Channel(2)] = MathF.Log(slot[4] * cellWidth / scale.Anchors[2 * a]);
                    head.Data[Channel(3)] = MathF.Log(slot[3] * cellHeight / scale.Anchors[2 * a + 1]);
                    for (int c = 0; c < classCount; c++) head.Data[Channel(5 + c)] = slot[5 + c] == 1 ? confidence : -confidence;
                }
        return head;
    }

    private static float Logit(float p) => MathF.Log(p / (1 - p));
}
