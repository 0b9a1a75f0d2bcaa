namespace MLNetExt.Core.Detection;

/// <summary>What the evaluators share: argument checks, the IoU they match with, and the ranking of detections.</summary>
internal static class DetectionMatching
{
    /// <summary>Throws unless the lists pair up and every class index is in [0, <paramref name="classCount"/>).</summary>
    public static void Validate(IReadOnlyList<ImagePredictions> predictions, IReadOnlyList<ImageGroundTruth> groundTruth, int classCount)
    {
        ArgumentNullException.ThrowIfNull(predictions);
        ArgumentNullException.ThrowIfNull(groundTruth);
        ArgumentOutOfRangeException.ThrowIfLessThan(classCount, 1);
        if (predictions.Count != groundTruth.Count)
            throw new ArgumentException($"predictions holds {predictions.Count} images; groundTruth holds {groundTruth.Count}.", nameof(predictions));
        for (int image = 0; image < predictions.Count; image++)
        {
            var p = predictions[image] ?? throw new ArgumentException($"predictions[{image}] is null.", nameof(predictions));
            var g = groundTruth[image] ?? throw new ArgumentException($"groundTruth[{image}] is null.", nameof(groundTruth));
            RequireClasses(p.Classes, classCount, $"predictions[{image}].Classes", nameof(predictions));
            RequireClasses(g.Classes, classCount, $"groundTruth[{image}].Classes", nameof(groundTruth));
        }
    }

    /// <summary>
    /// IoU of two xyxy boxes in double precision (as pycocotools' <c>bbIou</c>); with <paramref name="crowd"/>, the
    /// intersection over the detection's own area, COCO's rule for crowd regions. No overlap gives 0.
    /// </summary>
    public static double Iou(ReadOnlySpan<float> detection, ReadOnlySpan<float> truth, bool crowd = false)
    {
        double w = Math.Min((double)detection[2], truth[2]) - Math.Max((double)detection[0], truth[0]);
        double h = Math.Min((double)detection[3], truth[3]) - Math.Max((double)detection[1], truth[1]);
        if (w <= 0 || h <= 0) return 0;
        double intersection = w * h;
        double detectionArea = ((double)detection[2] - detection[0]) * ((double)detection[3] - detection[1]);
        if (crowd) return intersection / detectionArea;
        double truthArea = ((double)truth[2] - truth[0]) * ((double)truth[3] - truth[1]);
        return intersection / (detectionArea + truthArea - intersection);
    }

    /// <summary>Detections of one class over all images, ranked by score descending, equal scores by image then index (a stable sort).</summary>
    public static List<(int Image, int Index, float Score)> RankedDetections(IReadOnlyList<ImagePredictions> predictions, int classIndex)
    {
        var ranked = new List<(int Image, int Index, float Score)>();
        for (int image = 0; image < predictions.Count; image++)
        {
            var p = predictions[image];
            for (int i = 0; i < p.Count; i++)
                if (p.Classes[i] == classIndex) ranked.Add((image, i, p.Scores[i]));
        }
        var scores = ranked.Select(d => d.Score).ToArray();
        var order = NonMaxSuppression.StableDescendingOrder(scores);
        return order.Select(o => ranked[o]).ToList();
    }

    private static void RequireClasses(int[] classes, int classCount, string what, string parameterName)
    {
        for (int i = 0; i < classes.Length; i++)
            if ((uint)classes[i] >= (uint)classCount)
                throw new ArgumentException($"{what}[{i}] is {classes[i]}, outside [0, {classCount}).", parameterName);
    }
}
