namespace MLNetExt.Core.Detection;

/// <summary>The detections of one image, for <see cref="VocEvaluator"/> and <see cref="CocoEvaluator"/>.</summary>
public sealed class ImagePredictions
{
    /// <summary>Holds one image's detections.</summary>
    /// <param name="boxes">[N, 4] xyxy boxes, in the same pixels as the ground truth.</param>
    /// <param name="scores">[N] confidences; higher ranks first.</param>
    /// <param name="classes">[N] class indices in [0, C).</param>
    /// <exception cref="ArgumentException">The lengths disagree, or a score is NaN.</exception>
    public ImagePredictions(float[] boxes, float[] scores, int[] classes)
    {
        ArgumentNullException.ThrowIfNull(boxes);
        ArgumentNullException.ThrowIfNull(scores);
        ArgumentNullException.ThrowIfNull(classes);
        int n = BoxSpans.RequireBoxes(boxes, nameof(boxes));
        BoxSpans.RequirePerBox<float>(scores, n, nameof(scores));
        BoxSpans.RequirePerBox<int>(classes, n, nameof(classes));
        for (int i = 0; i < n; i++)
            if (float.IsNaN(scores[i])) throw new ArgumentException($"scores[{i}] is NaN; detections need an order.", nameof(scores));
        Boxes = boxes;
        Scores = scores;
        Classes = classes;
    }

    /// <summary>[N, 4] xyxy boxes.</summary>
    public float[] Boxes { get; }

    /// <summary>[N] confidences.</summary>
    public float[] Scores { get; }

    /// <summary>[N] class indices.</summary>
    public int[] Classes { get; }

    /// <summary>N.</summary>
    public int Count => Scores.Length;
}
