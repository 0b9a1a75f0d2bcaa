namespace MLNetExt.Core.Detection;

/// <summary>
/// PASCAL VOC average precision at one IoU threshold, per class and averaged (the devkit's <c>VOCevaldet</c>).
/// </summary>
/// <remarks>
/// <para>Per class: the detections of all images are ranked by score (equal scores by image, then by index). Each
/// takes the object of its class in its image with the highest IoU (the first, on a tie). If that IoU is at least
/// the threshold (the devkit's <c>ovmax &gt;= minoverlap</c>): a difficult object makes the detection not count;
/// otherwise the first detection to reach the object is a true positive and later ones are false positives
/// (duplicates). Any other detection is a false positive. Recall divides by the class's non-difficult objects.</para>
/// <para>Coordinates are continuous (IoU = intersection / union of the boxes as given), not the devkit's inclusive
/// pixel convention that adds 1 to every width and height.</para>
/// </remarks>
public static class VocEvaluator
{
    /// <summary>Evaluates detections against ground truth, image by image.</summary>
    /// <param name="predictions">[I] each image's detections.</param>
    /// <param name="groundTruth">[I] each image's objects, in the same order.</param>
    /// <param name="classCount">C: class indices are in [0, C).</param>
    /// <param name="iouThreshold">The least IoU for a match (0.5 in VOC).</param>
    /// <param name="method">11-point (VOC 2007) or all-point interpolation.</param>
    /// <exception cref="ArgumentException">The lists differ in length, or a class index is out of range.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="iouThreshold"/> is outside [0, 1] or <paramref name="method"/> is unknown.</exception>
    public static VocEvaluation Evaluate(IReadOnlyList<ImagePredictions> predictions, IReadOnlyList<ImageGroundTruth> groundTruth,
        int classCount, double iouThreshold = 0.5, VocApMethod method = VocApMethod.AllPoints)
    {
        DetectionMatching.Validate(predictions, groundTruth, classCount);
        if (!(iouThreshold >= 0 && iouThreshold <= 1))
            throw new ArgumentOutOfRangeException(nameof(iouThreshold), iouThreshold, "The IoU threshold must be in [0, 1].");
        if (!Enum.IsDefined(method)) throw new ArgumentOutOfRangeException(nameof(method), method, "Unknown AP method.");

        var averagePrecision = new double[classCount];
        var curves = new PrecisionRecallCurve[classCount];
        for (int c = 0; c < classCount; c++)
        {
            curves[c] = ClassCurve(predictions, groundTruth, c, iouThreshold, out int objects);
            averagePrecision[c] = objects == 0 ? double.NaN : AveragePrecision(curves[c], method);
        }
        var present = averagePrecision.Where(ap => !double.IsNaN(ap)).ToArray();
        double mean = present.Length == 0 ? double.NaN : present.Average();
        return new VocEvaluation(mean, averagePrecision, curves, iouThreshold, method);
    }

    /// <summary>AP of one precision–recall curve by the chosen interpolation.</summary>
    /// <param name="curve">The curve, recall non-decreasing.</param>
    /// <param name="method">11-point or all-point.</param>
    public static double AveragePrecision(PrecisionRecallCurve curve, VocApMethod method)
    {
        ArgumentNullException.ThrowIfNull(curve);
        var precision = curve.Precision;
        var recall = curve.Recall;
        if (method == VocApMethod.ElevenPoint)
        {
            double sum = 0;
            for (int k = 0; k <= 10; k++)
            {
                double t = k / 10.0;
                double best = 0;
                for (int i = 0; i < recall.Length; i++)
                    if (recall[i] >= t) best = Math.Max(best, precision[i]);
                sum += best;
            }
            return sum / 11;
        }

        // Envelope from the right, over the curve framed by (0, 0) and (1, 0), then the area under its steps.
        int n = recall.Length;
        var envelope = new double[n + 2];
        var framedRecall = new double[n + 2];
        framedRecall[n + 1] = 1;
        for (int i = 0; i < n; i++)
        {
            envelope[i + 1] = precision[i];
            framedRecall[i + 1] = recall[i];
        }
        for (int i = n; i >= 0; i--) envelope[i] = Math.Max(envelope[i], envelope[i + 1]);
        double area = 0;
        for (int i = 0; i <= n; i++)
            if (framedRecall[i + 1] != framedRecall[i]) area += (framedRecall[i + 1] - framedRecall[i]) * envelope[i + 1];
        return area;
    }

    private static PrecisionRecallCurve ClassCurve(IReadOnlyList<ImagePredictions> predictions, IReadOnlyList<ImageGroundTruth> groundTruth,
        int classIndex, double iouThreshold, out int countedObjects)
    {
        // The class's objects per image, and whether a detection has already claimed each.
        var objects = new List<int>[groundTruth.Count];
        var claimed = new bool[groundTruth.Count][];
        countedObjects = 0;
        for (int image = 0; image < groundTruth.Count; image++)
        {
            var truth = groundTruth[image];
            objects[image] = [];
            for (int g = 0; g < truth.Count; g++)
            {
                if (truth.Classes[g] != classIndex) continue;
                objects[image].Add(g);
                if (!truth.IsDifficult[g]) countedObjects++;
            }
            claimed[image] = new bool[truth.Count];
        }

        var scores = new List<float>();
        var precision = new List<double>();
        var recall = new List<double>();
        int truePositives = 0, falsePositives = 0;
        foreach (var (image, index, score) in DetectionMatching.RankedDetections(predictions, classIndex))
        {
            var box = predictions[image].Boxes.AsSpan(4 * index, 4);
            var truth = groundTruth[image];
            double bestIou = double.NegativeInfinity;
            int best = -1;
            foreach (int g in objects[image])
            {
                double iou = DetectionMatching.Iou(box, truth.Boxes.AsSpan(4 * g, 4));
                if (iou > bestIou)
                {
                    bestIou = iou;
                    best = g;
                }
            }
            if (best >= 0 && bestIou >= iouThreshold)
            {
                if (truth.IsDifficult[best]) continue;
                if (claimed[image][best]) falsePositives++;
                else
                {
                    claimed[image][best] = true;
                    truePositives++;
                }
            }
            else falsePositives++;
            scores.Add(score);
            precision.Add((double)truePositives / (truePositives + falsePositives));
            recall.Add(countedObjects == 0 ? 0 : (double)truePositives / countedObjects);
        }
        return new PrecisionRecallCurve(scores.ToArray(), precision.ToArray(), recall.ToArray());
    }
}
