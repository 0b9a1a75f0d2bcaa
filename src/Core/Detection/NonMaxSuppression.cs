namespace MLNetExt.Core.Detection;

/// <summary>
/// Greedy non-maximum suppression, as <c>torchvision.ops.nms</c> and <c>batched_nms</c>: visit the boxes from the
/// highest score down; keep a box unless its IoU with a box already kept (of the same class, for the batched form) is
/// strictly greater than the threshold.
/// </summary>
/// <remarks>
/// <para>Order: scores descending, equal scores by ascending original index (a stable sort, which is what
/// torchvision's CPU sort does). The result lists the kept indices in that order.</para>
/// <para>Arithmetic: IoU = inter / (area_i + area_j − inter) in float32, compared with the threshold in double, as
/// torchvision's CPU kernel does, so a pair exactly at the threshold is kept. A pair of empty boxes has IoU NaN, which
/// is not greater than any threshold: neither suppresses the other.</para>
/// <para>Cost: O(n·k) IoUs for n candidates and k kept (per class for the batched form), with the corners and areas
/// gathered into contiguous arrays in score order first, so the inner loop walks memory forward.</para>
/// </remarks>
public static class NonMaxSuppression
{
    /// <summary>Class-agnostic greedy NMS (<c>torchvision.ops.nms</c>).</summary>
    /// <param name="boxes">[N, 4] xyxy boxes.</param>
    /// <param name="scores">[N] scores.</param>
    /// <param name="iouThreshold">Boxes whose IoU with a kept box is greater than this are dropped.</param>
    /// <returns>The indices of the kept boxes, by decreasing score.</returns>
    /// <exception cref="ArgumentException">The lengths disagree, or a score is NaN.</exception>
    public static int[] Run(ReadOnlySpan<float> boxes, ReadOnlySpan<float> scores, double iouThreshold) =>
        Run(boxes, scores, classes: default, iouThreshold, classAgnostic: true, maxDetections: -1);

    /// <summary>Per-class greedy NMS (<c>torchvision.ops.batched_nms</c>), or class-agnostic, with an optional cap on the boxes kept.</summary>
    /// <param name="boxes">[N, 4] xyxy boxes.</param>
    /// <param name="scores">[N] scores.</param>
    /// <param name="classes">[N] class indices; boxes of different classes never suppress each other unless <paramref name="classAgnostic"/>. Ignored (may be empty) when <paramref name="classAgnostic"/>.</param>
    /// <param name="iouThreshold">Boxes whose IoU with a kept box of their class is greater than this are dropped.</param>
    /// <param name="classAgnostic">When true, every box competes with every other, whatever its class.</param>
    /// <param name="maxDetections">The most boxes returned (the highest-scoring), or −1 for all.</param>
    /// <returns>The indices of the kept boxes, by decreasing score (equal scores by index).</returns>
    /// <exception cref="ArgumentException">The lengths disagree, a score is NaN, or <paramref name="maxDetections"/> is below −1.</exception>
    public static int[] Run(ReadOnlySpan<float> boxes, ReadOnlySpan<float> scores, ReadOnlySpan<int> classes,
        double iouThreshold, bool classAgnostic = false, int maxDetections = -1)
    {
        int n = BoxSpans.RequireBoxes(boxes, nameof(boxes));
        BoxSpans.RequirePerBox(scores, n, nameof(scores));
        if (!classAgnostic) BoxSpans.RequirePerBox(classes, n, nameof(classes));
        ArgumentOutOfRangeException.ThrowIfLessThan(maxDetections, -1);
        for (int i = 0; i < n; i++)
            if (float.IsNaN(scores[i])) throw new ArgumentException($"scores[{i}] is NaN; NMS needs an order.", nameof(scores));

        int[] order = StableDescendingOrder(scores);

        // Corners and areas in score order: the inner loop then reads them contiguously.
        var x1 = new float[n];
        var y1 = new float[n];
        var x2 = new float[n];
        var y2 = new float[n];
        var area = new float[n];
        for (int r = 0; r < n; r++)
        {
            int b = 4 * order[r];
            x1[r] = boxes[b];
            y1[r] = boxes[b + 1];
            x2[r] = boxes[b + 2];
            y2[r] = boxes[b + 3];
            area[r] = (x2[r] - x1[r]) * (y2[r] - y1[r]);
        }

        var suppressed = new bool[n];
        if (classAgnostic)
        {
            Suppress(Enumerable.Range(0, n).ToArray(), x1, y1, x2, y2, area, suppressed, iouThreshold);
        }
        else
        {
            // One group per class, each in score order; a class's boxes only meet boxes of their own class.
            var groups = new Dictionary<int, List<int>>();
            for (int r = 0; r < n; r++)
            {
                int c = classes[order[r]];
                if (!groups.TryGetValue(c, out var group)) groups[c] = group = [];
                group.Add(r);
            }
            foreach (var group in groups.Values) Suppress(group.ToArray(), x1, y1, x2, y2, area, suppressed, iouThreshold);
        }

        int limit = maxDetections < 0 ? n : maxDetections;
        var kept = new List<int>(Math.Min(limit, n));
        for (int r = 0; r < n && kept.Count < limit; r++)
            if (!suppressed[r]) kept.Add(order[r]);
        return kept.ToArray();
    }

    /// <summary>The indices 0…N−1 ordered by descending score, equal scores (−0 and +0 included) by ascending index.</summary>
    /// <param name="scores">[N] scores, none NaN.</param>
    public static int[] StableDescendingOrder(ReadOnlySpan<float> scores)
    {
        // One 64-bit key per score: the high half orders the scores descending, the low half is the index, so a
        // plain sort of the keys is a stable descending sort without a comparison call per pair.
        var keys = new ulong[scores.Length];
        for (int i = 0; i < keys.Length; i++)
        {
            float score = scores[i] == 0f ? 0f : scores[i];
            uint bits = BitConverter.SingleToUInt32Bits(score);
            uint ascending = (bits & 0x8000_0000u) != 0 ? ~bits : bits | 0x8000_0000u;
            keys[i] = ((ulong)~ascending << 32) | (uint)i;
        }
        Array.Sort(keys);
        var order = new int[keys.Length];
        for (int i = 0; i < order.Length; i++) order[i] = (int)(uint)keys[i];
        return order;
    }

    // ranks: positions (in score order) of one group's boxes, ascending.
    private static void Suppress(int[] ranks, float[] x1, float[] y1, float[] x2, float[] y2, float[] area,
        bool[] suppressed, double iouThreshold)
    {
        for (int p = 0; p < ranks.Length; p++)
        {
            int i = ranks[p];
            if (suppressed[i]) continue;
            float ix1 = x1[i], iy1 = y1[i], ix2 = x2[i], iy2 = y2[i], iarea = area[i];
            for (int q = p + 1; q < ranks.Length; q++)
            {
                int j = ranks[q];
                if (suppressed[j]) continue;
                float w = MathF.Max(MathF.Min(ix2, x2[j]) - MathF.Max(ix1, x1[j]), 0f);
                float h = MathF.Max(MathF.Min(iy2, y2[j]) - MathF.Max(iy1, y1[j]), 0f);
                float intersection = w * h;
                float iou = intersection / (iarea + area[j] - intersection);
                if (iou > iouThreshold) suppressed[j] = true;
            }
        }
    }
}
