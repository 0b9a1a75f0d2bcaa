namespace MLNetExt.Core.Detection;

/// <summary>
/// COCO box evaluation as pycocotools' <c>COCOeval</c> (<c>iouType="bbox"</c>): precision at 101 recall points for
/// each IoU threshold 0.50:0.05:0.95, class and size range, with at most <c>maxDetections</c> detections per image and
/// class, then averaged.
/// </summary>
/// <remarks>
/// <para>Per image, class and size range (<c>evaluateImg</c>): objects that are crowds or whose area is outside the
/// range are ignored and sorted last; detections are ranked by score (stable) and cut to maxDetections. For each IoU
/// threshold t, each detection in rank order takes the object with the highest IoU ≥ min(t, 1 − 10⁻¹⁰) that is not
/// yet taken (a crowd may be taken again), preferring counted objects over ignored ones. A detection on an ignored
/// object, or an unmatched one whose own area is outside the range, is ignored. The IoU with a crowd is the
/// intersection over the detection's area.</para>
/// <para>Per class and range (<c>accumulate</c>): the detections of all images are ranked by score (stable, images in
/// order); with TP and FP their running counts over detections that are not ignored, recall = TP/G and precision =
/// TP/(TP + FP + 2⁻⁵²) (G the counted objects). Precision is made non-increasing from the right, then read at the
/// first detection whose recall reaches each recall point (0 past the last).</para>
/// </remarks>
public static class CocoEvaluator
{
    private static readonly (double Low, double High)[] AreaBounds =
        [(0, 1e5 * 1e5), (0, 32 * 32), (32 * 32, 96 * 96), (96 * 96, 1e5 * 1e5)];

    /// <summary>Evaluates detections against ground truth, image by image.</summary>
    /// <param name="predictions">[I] each image's detections.</param>
    /// <param name="groundTruth">[I] each image's objects, in the same order.</param>
    /// <param name="classCount">C: class indices are in [0, C).</param>
    /// <param name="maxDetections">The most detections per image and class counted (COCO's maxDets, 100).</param>
    /// <exception cref="ArgumentException">The lists differ in length, or a class index is out of range.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maxDetections"/> is below 1.</exception>
    public static CocoEvaluation Evaluate(IReadOnlyList<ImagePredictions> predictions, IReadOnlyList<ImageGroundTruth> groundTruth,
        int classCount, int maxDetections = 100)
    {
        DetectionMatching.Validate(predictions, groundTruth, classCount);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxDetections, 1);

        var thresholds = CocoEvaluation.IouThresholds;
        var recallPoints = CocoEvaluation.RecallPoints;
        int areaCount = AreaBounds.Length;
        var precision = new double[thresholds.Count, recallPoints.Count, classCount, areaCount];
        var recall = new double[thresholds.Count, classCount, areaCount];
        for (int k = 0; k < classCount; k++)
            for (int a = 0; a < areaCount; a++)
            {
                var images = new List<ImageMatches>();
                for (int image = 0; image < predictions.Count; image++)
                {
                    var matches = MatchImage(predictions[image], groundTruth[image], k, AreaBounds[a], maxDetections, thresholds);
                    if (matches is not null) images.Add(matches);
                }
                Accumulate(images, thresholds.Count, recallPoints, precision, recall, k, a);
            }
        return new CocoEvaluation(precision, recall, maxDetections);
    }

    // One image's detections of one class in rank order, with, per threshold, whether each matched and whether it
    // is ignored; and how many of the image's objects of the class count.
    private sealed record ImageMatches(float[] Scores, bool[,] Matched, bool[,] Ignored, int CountedObjects);

    private static ImageMatches? MatchImage(ImagePredictions prediction, ImageGroundTruth truth, int classIndex,
        (double Low, double High) area, int maxDetections, IReadOnlyList<double> thresholds)
    {
        var objects = new List<int>();
        for (int g = 0; g < truth.Count; g++) if (truth.Classes[g] == classIndex) objects.Add(g);
        var detections = new List<int>();
        for (int d = 0; d < prediction.Count; d++) if (prediction.Classes[d] == classIndex) detections.Add(d);
        if (objects.Count == 0 && detections.Count == 0) return null;

        // Counted objects first, ignored ones after, each group in annotation order (a stable sort on the flag).
        bool IgnoredObject(int g) => truth.IsCrowd[g] || truth.Areas[g] < area.Low || truth.Areas[g] > area.High;
        var sortedObjects = objects.Where(g => !IgnoredObject(g)).Concat(objects.Where(IgnoredObject)).ToArray();
        var objectIgnored = sortedObjects.Select(IgnoredObject).ToArray();

        var detectionScores = detections.Select(d => prediction.Scores[d]).ToArray();
        var rankedDetections = NonMaxSuppression.StableDescendingOrder(detectionScores)
            .Take(maxDetections).Select(r => detections[r]).ToArray();

        int t = thresholds.Count, dCount = rankedDetections.Length, gCount = sortedObjects.Length;
        var ious = new double[dCount, gCount];
        for (int d = 0; d < dCount; d++)
            for (int g = 0; g < gCount; g++)
                ious[d, g] = DetectionMatching.Iou(prediction.Boxes.AsSpan(4 * rankedDetections[d], 4),
                    truth.Boxes.AsSpan(4 * sortedObjects[g], 4), truth.IsCrowd[sortedObjects[g]]);

        var matched = new bool[t, dCount];
        var ignored = new bool[t, dCount];
        for (int ti = 0; ti < t; ti++)
        {
            var objectTaken = new bool[gCount];
            for (int d = 0; d < dCount; d++)
            {
                double bestIou = Math.Min(thresholds[ti], 1 - 1e-10);
                int best = -1;
                for (int g = 0; g < gCount; g++)
                {
                    if (objectTaken[g] && !truth.IsCrowd[sortedObjects[g]]) continue;
                    // Once a counted object matched, ignored ones (all after it) cannot replace it.
                    if (best > -1 && !objectIgnored[best] && objectIgnored[g]) break;
                    if (ious[d, g] < bestIou) continue;
                    bestIou = ious[d, g];
                    best = g;
                }
                if (best == -1) continue;
                ignored[ti, d] = objectIgnored[best];
                matched[ti, d] = true;
                objectTaken[best] = true;
            }
        }

        // An unmatched detection outside the size range belongs to another range's evaluation.
        for (int d = 0; d < dCount; d++)
        {
            var box = prediction.Boxes.AsSpan(4 * rankedDetections[d], 4);
            double detectionArea = ((double)box[2] - box[0]) * ((double)box[3] - box[1]);
            bool outside = detectionArea < area.Low || detectionArea > area.High;
            for (int ti = 0; ti < t; ti++)
                if (!matched[ti, d] && outside) ignored[ti, d] = true;
        }

        var scores = rankedDetections.Select(d => prediction.Scores[d]).ToArray();
        return new ImageMatches(scores, matched, ignored, objectIgnored.Count(flag => !flag));
    }

    private static void Accumulate(List<ImageMatches> images, int thresholdCount, IReadOnlyList<double> recallPoints,
        double[,,,] precision, double[,,] recall, int classIndex, int areaIndex)
    {
        int counted = images.Sum(i => i.CountedObjects);
        if (counted == 0)
        {
            for (int ti = 0; ti < thresholdCount; ti++)
            {
                recall[ti, classIndex, areaIndex] = -1;
                for (int r = 0; r < recallPoints.Count; r++) precision[ti, r, classIndex, areaIndex] = -1;
            }
            return;
        }

        // All images' detections, ranked by score; equal scores keep image order (pycocotools' mergesort).
        var entries = new List<(ImageMatches Image, int Detection)>();
        foreach (var image in images)
            for (int d = 0; d < image.Scores.Length; d++) entries.Add((image, d));
        var order = NonMaxSuppression.StableDescendingOrder(entries.Select(e => e.Image.Scores[e.Detection]).ToArray());
        int n = order.Length;

        var curvePrecision = new double[n];
        var curveRecall = new double[n];
        for (int ti = 0; ti < thresholdCount; ti++)
        {
            double truePositives = 0, falsePositives = 0;
            for (int i = 0; i < n; i++)
            {
                var (image, d) = entries[order[i]];
                if (!image.Ignored[ti, d])
                {
                    if (image.Matched[ti, d]) truePositives++;
                    else falsePositives++;
                }
                curveRecall[i] = truePositives / counted;
                curvePrecision[i] = truePositives / (falsePositives + truePositives + Math.Pow(2, -52));
            }
            recall[ti, classIndex, areaIndex] = n > 0 ? curveRecall[n - 1] : 0;
            for (int i = n - 1; i > 0; i--)
                if (curvePrecision[i] > curvePrecision[i - 1]) curvePrecision[i - 1] = curvePrecision[i];

            // np.searchsorted(recall, point, side="left"): the first detection whose recall reaches the point.
            int first = 0;
            for (int r = 0; r < recallPoints.Count; r++)
            {
                while (first < n && curveRecall[first] < recallPoints[r]) first++;
                precision[ti, r, classIndex, areaIndex] = first < n ? curvePrecision[first] : 0;
            }
        }
    }
}
