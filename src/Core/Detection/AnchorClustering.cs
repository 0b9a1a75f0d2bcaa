namespace MLNetExt.Core.Detection;

/// <summary>
/// Anchor sizes from k-means over the training boxes' shapes with the distance d = 1 − IoU (YOLOv2's dimension
/// clusters), so that large boxes do not dominate as they would under Euclidean distance.
/// </summary>
/// <remarks>
/// <para>Start: the boxes sorted by area (then width, then index) and the k at ranks ⌊(i + ½)·n/k⌋, i = 0…k − 1: a
/// deterministic spread over small to large shapes. Then Lloyd's iterations: each shape joins the centroid with the
/// highest <see cref="YoloTargetEncoder.ShapeIou"/> (the first on a tie); each centroid becomes the mean width and
/// height of its members (a centroid left without members keeps its place); until no shape changes cluster or
/// <c>maxIterations</c> pass.</para>
/// </remarks>
public static class AnchorClustering
{
    /// <summary>Clusters box shapes into <paramref name="anchorCount"/> anchors.</summary>
    /// <param name="sizes">[n, 2] (width, height) of the training boxes, positive and finite.</param>
    /// <param name="anchorCount">k, at most n.</param>
    /// <param name="maxIterations">The most Lloyd iterations.</param>
    /// <returns>The anchors as [k, 2] (width, height), by increasing area (equal areas by width), and the mean over boxes of the best IoU with an anchor.</returns>
    /// <exception cref="ArgumentException">A size is not positive and finite, or the length is odd.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="anchorCount"/> is below 1 or above n, or <paramref name="maxIterations"/> below 1.</exception>
    public static (float[] Anchors, double MeanIou) KMeans(ReadOnlySpan<float> sizes, int anchorCount, int maxIterations = 300)
    {
        if (sizes.Length % 2 != 0) throw new ArgumentException($"sizes holds {sizes.Length} values; (width, height) pairs are needed.", nameof(sizes));
        int n = sizes.Length / 2;
        ArgumentOutOfRangeException.ThrowIfLessThan(anchorCount, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(anchorCount, n);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxIterations, 1);
        for (int i = 0; i < sizes.Length; i++)
            if (!(sizes[i] > 0) || !float.IsFinite(sizes[i]))
                throw new ArgumentException($"sizes[{i}] is {sizes[i]}; box sizes must be positive and finite.", nameof(sizes));

        var widths = new float[n];
        var heights = new float[n];
        for (int i = 0; i < n; i++)
        {
            widths[i] = sizes[2 * i];
            heights[i] = sizes[2 * i + 1];
        }
        var byArea = Enumerable.Range(0, n).OrderBy(i => (double)widths[i] * heights[i]).ThenBy(i => widths[i]).ThenBy(i => i).ToArray();
        var centroidWidths = new float[anchorCount];
        var centroidHeights = new float[anchorCount];
        for (int c = 0; c < anchorCount; c++)
        {
            int pick = byArea[(int)((c + 0.5) * n / anchorCount)];
            centroidWidths[c] = widths[pick];
            centroidHeights[c] = heights[pick];
        }

        var cluster = new int[n];
        Array.Fill(cluster, -1);
        for (int iteration = 0; iteration < maxIterations; iteration++)
        {
            bool changed = false;
            for (int i = 0; i < n; i++)
            {
                int best = Nearest(widths[i], heights[i], centroidWidths, centroidHeights, out _);
                changed |= best != cluster[i];
                cluster[i] = best;
            }
            if (!changed) break;
            var sumWidth = new double[anchorCount];
            var sumHeight = new double[anchorCount];
            var members = new int[anchorCount];
            for (int i = 0; i < n; i++)
            {
                sumWidth[cluster[i]] += widths[i];
                sumHeight[cluster[i]] += heights[i];
                members[cluster[i]]++;
            }
            for (int c = 0; c < anchorCount; c++)
            {
                if (members[c] == 0) continue;
                centroidWidths[c] = (float)(sumWidth[c] / members[c]);
                centroidHeights[c] = (float)(sumHeight[c] / members[c]);
            }
        }

        double iouSum = 0;
        for (int i = 0; i < n; i++)
        {
            Nearest(widths[i], heights[i], centroidWidths, centroidHeights, out float iou);
            iouSum += iou;
        }
        var anchors = Enumerable.Range(0, anchorCount).OrderBy(c => (double)centroidWidths[c] * centroidHeights[c]).ThenBy(c => centroidWidths[c])
            .SelectMany(c => new[] { centroidWidths[c], centroidHeights[c] }).ToArray();
        return (anchors, iouSum / n);
    }

    private static int Nearest(float width, float height, float[] centroidWidths, float[] centroidHeights, out float bestIou)
    {
        int best = 0;
        bestIou = float.NegativeInfinity;
        for (int c = 0; c < centroidWidths.Length; c++)
        {
            float iou = YoloTargetEncoder.ShapeIou(width, height, centroidWidths[c], centroidHeights[c]);
            if (iou > bestIou)
            {
                bestIou = iou;
                best = c;
            }
        }
        return best;
    }
}
