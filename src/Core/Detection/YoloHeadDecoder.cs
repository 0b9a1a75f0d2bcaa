namespace MLNetExt.Core.Detection;

/// <summary>
/// Turns the raw heads of a detector trained with <see cref="YoloLoss"/> into each image's final detections, for
/// <see cref="CocoEvaluator"/> and <see cref="VocEvaluator"/> during training: YOLOv2-style decoding
/// (<see cref="YoloDecoding.DecodeDarknetHead"/>: cx = (x + σ(tx))·stride, w = anchor·e^tw, score = σ(to)·p_class
/// with p the class probabilities as the loss trained them), the candidates of every scale together, then per-class
/// NMS (<see cref="NonMaxSuppression"/>, torchvision's <c>batched_nms</c>) and a cap on the detections kept.
/// </summary>
public static class YoloHeadDecoder
{
    /// <summary>Decodes a batch of head outputs, one per scale, into one <see cref="ImagePredictions"/> per image.</summary>
    /// <param name="headOutputs">Per scale, [B, A·(5 + C), S_y, S_x] as <see cref="YoloLoss"/> reads it; the same B for every scale.</param>
    /// <param name="scales">Per scale, its grid and anchors in image pixels.</param>
    /// <param name="imageWidth">The network input's width in pixels: the boxes come out in these pixels.</param>
    /// <param name="imageHeight">The network input's height in pixels.</param>
    /// <param name="classCount">C.</param>
    /// <param name="classLoss">How the class logits were trained: <see cref="YoloClassLoss.CrossEntropy"/> reads them through a softmax, <see cref="YoloClassLoss.BinaryCrossEntropy"/> through independent sigmoids.</param>
    /// <param name="scoreThreshold">Candidates need a score above this.</param>
    /// <param name="iouThreshold">Boxes whose IoU with a kept box of their class is greater than this are dropped.</param>
    /// <param name="maxDetections">The most detections kept per image (the highest-scoring), or −1 for all.</param>
    /// <returns>[B] each image's xyxy boxes in input pixels, scores and classes, by decreasing score.</returns>
    /// <exception cref="ArgumentException">The lists differ in length or are empty, or a head's shape disagrees with its scale (the message gives the expected one).</exception>
    public static ImagePredictions[] Decode(IReadOnlyList<Tensor> headOutputs, IReadOnlyList<YoloGridScale> scales, int imageWidth, int imageHeight,
        int classCount, YoloClassLoss classLoss, float scoreThreshold = 0.25f, double iouThreshold = 0.45, int maxDetections = 100)
    {
        ArgumentNullException.ThrowIfNull(headOutputs);
        ArgumentNullException.ThrowIfNull(scales);
        ArgumentOutOfRangeException.ThrowIfLessThan(imageWidth, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(imageHeight, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(classCount, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxDetections, -1);
        if (!Enum.IsDefined(classLoss)) throw new ArgumentOutOfRangeException(nameof(classLoss), classLoss, "Unknown class loss.");
        if (scales.Count == 0 || headOutputs.Count != scales.Count)
            throw new ArgumentException($"headOutputs holds {headOutputs.Count} heads for {scales.Count} scales; one head per scale, at least one, is needed.", nameof(headOutputs));
        int batch = RequireHeads(headOutputs, scales, classCount);

        var predictions = new ImagePredictions[batch];
        var candidates = new DetectionCandidates();
        var classScratch = new float[classCount];
        for (int b = 0; b < batch; b++)
        {
            candidates.Clear();
            for (int s = 0; s < scales.Count; s++)
            {
                var scale = scales[s];
                int imageLength = headOutputs[s].Length / batch;
                YoloDecoding.DecodeDarknetHead(headOutputs[s].Span.Slice(b * imageLength, imageLength), classCount, scale.Rows, scale.Columns,
                    (float)imageWidth / scale.Columns, (float)imageHeight / scale.Rows, scale.Anchors,
                    softmaxClasses: classLoss == YoloClassLoss.CrossEntropy, xyScale: 1f, scoreThreshold, candidates, classScratch);
            }
            int[] keep = NonMaxSuppression.Run(candidates.Boxes, candidates.Scores, candidates.Classes, iouThreshold, maxDetections: maxDetections);
            var boxes = new float[4 * keep.Length];
            var scores = new float[keep.Length];
            var classes = new int[keep.Length];
            for (int k = 0; k < keep.Length; k++)
            {
                candidates.Boxes.Slice(4 * keep[k], 4).CopyTo(boxes.AsSpan(4 * k));
                scores[k] = candidates.Scores[keep[k]];
                classes[k] = candidates.Classes[keep[k]];
            }
            predictions[b] = new ImagePredictions(boxes, scores, classes);
        }
        return predictions;
    }

    private static int RequireHeads(IReadOnlyList<Tensor> headOutputs, IReadOnlyList<YoloGridScale> scales, int classCount)
    {
        int batch = -1;
        for (int s = 0; s < scales.Count; s++)
        {
            var scale = scales[s] ?? throw new ArgumentException($"scales[{s}] is null.", nameof(scales));
            if (scale.Anchors is null || scale.Anchors.Length == 0 || scale.Anchors.Length % 2 != 0)
                throw new ArgumentException($"scales[{s}] needs (width, height) anchor pairs.", nameof(scales));
            var head = headOutputs[s] ?? throw new ArgumentException($"headOutputs[{s}] is null.", nameof(headOutputs));
            int channels = scale.AnchorCount * (5 + classCount);
            if (head.Rank != 4 || head.Dim(0) < 1 || head.Dim(1) != channels || head.Dim(2) != scale.Rows || head.Dim(3) != scale.Columns || (batch >= 0 && head.Dim(0) != batch))
                throw new ArgumentException(
                    $"headOutputs[{s}] is [{string.Join(", ", head.Shape.ToArray())}]; [{(batch >= 0 ? batch.ToString() : "B")}, {scale.AnchorCount}·(5 + {classCount}) = {channels}, {scale.Rows}, {scale.Columns}] is expected.",
                    nameof(headOutputs));
            batch = head.Dim(0);
        }
        return batch;
    }
}
