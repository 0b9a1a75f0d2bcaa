namespace MLNetExt.Core.Detection;

/// <summary>
/// Turns the raw outputs of standard YOLO ONNX models into scored, classed xyxy boxes in model-input pixels, keeping
/// those whose score is strictly above a threshold (as Ultralytics' <c>conf &gt; conf_thres</c>). Each box gets the
/// class of its highest score (the first such class on a tie). Candidates come out in the order of the model's
/// output (box index), which is how <see cref="NonMaxSuppression"/> breaks ties.
/// </summary>
public static class YoloDecoding
{
    /// <summary>
    /// YOLOv8/v11 output [4 + C, N] (the batch of 1 dropped): rows cx, cy, w, h (pixels) then C class scores
    /// (already sigmoid), no objectness; score = max_c class_c.
    /// </summary>
    /// <param name="output">The [4 + C, N] values, row-major.</param>
    /// <param name="classCount">C.</param>
    /// <param name="scoreThreshold">Candidates need a score above this.</param>
    /// <param name="candidates">Receives the candidates (appended).</param>
    /// <param name="bestScores">Scratch of at least N floats.</param>
    /// <param name="bestClasses">Scratch of at least N ints.</param>
    /// <exception cref="ArgumentException">The output length is not a multiple of 4 + C, or the scratch is short.</exception>
    public static void DecodeYoloV8(ReadOnlySpan<float> output, int classCount, float scoreThreshold, DetectionCandidates candidates,
        Span<float> bestScores, Span<int> bestClasses)
    {
        ArgumentNullException.ThrowIfNull(candidates);
        int n = Rows(output, 4 + classCount, nameof(output));
        if (bestScores.Length < n || bestClasses.Length < n)
            throw new ArgumentException($"The scratch holds {Math.Min(bestScores.Length, bestClasses.Length)} values for {n} boxes.", nameof(bestScores));
        var best = bestScores[..n];
        var bestClass = bestClasses[..n];
        // Class-major sweep: each class row is contiguous, so the running maximum walks memory forward.
        output.Slice(4 * n, n).CopyTo(best);
        bestClass.Clear();
        for (int c = 1; c < classCount; c++)
        {
            var row = output.Slice((4 + c) * n, n);
            for (int i = 0; i < n; i++)
            {
                if (row[i] > best[i])
                {
                    best[i] = row[i];
                    bestClass[i] = c;
                }
            }
        }
        for (int i = 0; i < n; i++)
        {
            if (!(best[i] > scoreThreshold)) continue;
            candidates.AddCentred(output[i], output[n + i], output[2 * n + i], output[3 * n + i], best[i], bestClass[i]);
        }
    }

    /// <summary>
    /// YOLOv5/v7 output [N, 5 + C]: rows of cx, cy, w, h (pixels), objectness, then C class probabilities (all already
    /// sigmoid); score = max_c objectness·class_c. As in Ultralytics' YOLOv5 <c>non_max_suppression</c>, a candidate
    /// needs both its objectness and its score above the threshold.
    /// </summary>
    /// <param name="output">The [N, 5 + C] values, row-major.</param>
    /// <param name="classCount">C.</param>
    /// <param name="scoreThreshold">Candidates need a score above this.</param>
    /// <param name="candidates">Receives the candidates (appended).</param>
    /// <exception cref="ArgumentException">The output length is not a multiple of 5 + C.</exception>
    public static void DecodeYoloV5(ReadOnlySpan<float> output, int classCount, float scoreThreshold, DetectionCandidates candidates)
    {
        ArgumentNullException.ThrowIfNull(candidates);
        int width = 5 + classCount;
        int n = Rows(output, width, nameof(output));
        for (int i = 0; i < n; i++)
        {
            var row = output.Slice(i * width, width);
            float objectness = row[4];
            // Ultralytics' first filter (xc = obj > conf_thres) also spares the class sweep of most rows.
            if (!(objectness > scoreThreshold)) continue;
            float best = objectness * row[5];
            int bestClass = 0;
            for (int c = 1; c < classCount; c++)
            {
                float score = objectness * row[5 + c];
                if (score > best)
                {
                    best = score;
                    bestClass = c;
                }
            }
            if (best > scoreThreshold) candidates.AddCentred(row[0], row[1], row[2], row[3], best, bestClass);
        }
    }

    /// <summary>
    /// One darknet-style head [A·(5 + C), H, W] (channel-major: anchor a owns channels a·(5 + C) … a·(5 + C) + 4 + C),
    /// raw logits, as tiny-YOLOv2 and YOLOv3/v4 export them. For the cell (x, y) and anchor a:
    /// cx = (x + s·σ(tx) − (s − 1)/2)·strideX, cy likewise, w = anchorW·e^tw, h = anchorH·e^th (anchors in pixels),
    /// objectness = σ(to), class probabilities softmax (YOLOv2) or σ (YOLOv3/v4), score = objectness·probability.
    /// σ is computed stably (never e^x of a large positive x).
    /// </summary>
    /// <param name="output">The [A·(5 + C), H, W] values.</param>
    /// <param name="classCount">C.</param>
    /// <param name="height">H, the grid rows.</param>
    /// <param name="width">W, the grid columns.</param>
    /// <param name="strideX">Input pixels per grid column.</param>
    /// <param name="strideY">Input pixels per grid row.</param>
    /// <param name="anchors">[A, 2] anchor (width, height) pairs in input pixels.</param>
    /// <param name="softmaxClasses">True for YOLOv2's softmax over classes, false for YOLOv3's independent sigmoids.</param>
    /// <param name="xyScale">s, YOLOv4's <c>scale_x_y</c> (1 for YOLOv2/v3).</param>
    /// <param name="scoreThreshold">Candidates need a score above this.</param>
    /// <param name="candidates">Receives the candidates (appended), anchor-major, then row, then column.</param>
    /// <param name="classScratch">Scratch of at least C floats.</param>
    /// <exception cref="ArgumentException">The sizes disagree.</exception>
    public static void DecodeDarknetHead(ReadOnlySpan<float> output, int classCount, int height, int width, float strideX, float strideY,
        ReadOnlySpan<float> anchors, bool softmaxClasses, float xyScale, float scoreThreshold, DetectionCandidates candidates, Span<float> classScratch)
    {
        ArgumentNullException.ThrowIfNull(candidates);
        if (anchors.Length == 0 || anchors.Length % 2 != 0)
            throw new ArgumentException($"anchors holds {anchors.Length} values; (width, height) pairs are needed.", nameof(anchors));
        int anchorCount = anchors.Length / 2;
        int channels = anchorCount * (5 + classCount);
        int cells = height * width;
        if (output.Length != channels * cells)
            throw new ArgumentException($"output holds {output.Length} values; {anchorCount}·(5 + {classCount}) channels of {height}×{width} need {channels * cells}.", nameof(output));
        if (classScratch.Length < classCount)
            throw new ArgumentException($"classScratch holds {classScratch.Length} values for {classCount} classes.", nameof(classScratch));
        var probabilities = classScratch[..classCount];
        float shift = (xyScale - 1) / 2;
        for (int a = 0; a < anchorCount; a++)
        {
            var block = output.Slice(a * (5 + classCount) * cells, (5 + classCount) * cells);
            for (int y = 0; y < height; y++)
                for (int x = 0; x < width; x++)
                {
                    int cell = y * width + x;
                    float objectness = Sigmoid(block[4 * cells + cell]);
                    if (!(objectness > scoreThreshold)) continue;  // probabilities are at most 1
                    for (int c = 0; c < classCount; c++) probabilities[c] = block[(5 + c) * cells + cell];
                    int bestClass = 0;
                    for (int c = 1; c < classCount; c++)
                        if (probabilities[c] > probabilities[bestClass]) bestClass = c;
                    float probability = softmaxClasses ? SoftmaxAt(probabilities, bestClass) : Sigmoid(probabilities[bestClass]);
                    float score = objectness * probability;
                    if (!(score > scoreThreshold)) continue;
                    float cx = (x + xyScale * Sigmoid(block[cell]) - shift) * strideX;
                    float cy = (y + xyScale * Sigmoid(block[cells + cell]) - shift) * strideY;
                    float w = anchors[2 * a] * MathF.Exp(block[2 * cells + cell]);
                    float h = anchors[2 * a + 1] * MathF.Exp(block[3 * cells + cell]);
                    candidates.AddCentred(cx, cy, w, h, score, bestClass);
                }
        }
    }

    /// <summary>
    /// One YOLOv4 head as the ONNX model zoo's YOLOv4 exports it, [H, W, A, 5 + C] (channels last): for the cell
    /// (x, y) and anchor a, cx = (x + s·σ(tx) − (s − 1)/2)·strideX, cy likewise, w = anchorW·e^tw, h = anchorH·e^th
    /// (anchors in pixels); objectness and class probabilities are read as they are (the model already applied the
    /// sigmoid); score = max_c objectness·probability_c.
    /// </summary>
    /// <param name="output">The [H, W, A, 5 + C] values.</param>
    /// <param name="classCount">C.</param>
    /// <param name="height">H, the grid rows.</param>
    /// <param name="width">W, the grid columns.</param>
    /// <param name="strideX">Input pixels per grid column.</param>
    /// <param name="strideY">Input pixels per grid row.</param>
    /// <param name="anchors">[A, 2] anchor (width, height) pairs in input pixels.</param>
    /// <param name="xyScale">s, the head's <c>scale_x_y</c> (the zoo's model uses 1.2, 1.1 and 1.05 from the finest grid).</param>
    /// <param name="scoreThreshold">Candidates need a score above this.</param>
    /// <param name="candidates">Receives the candidates (appended), row, then column, then anchor: the output's own order.</param>
    /// <exception cref="ArgumentException">The sizes disagree.</exception>
    public static void DecodeYoloV4Head(ReadOnlySpan<float> output, int classCount, int height, int width, float strideX, float strideY,
        ReadOnlySpan<float> anchors, float xyScale, float scoreThreshold, DetectionCandidates candidates)
    {
        ArgumentNullException.ThrowIfNull(candidates);
        if (anchors.Length == 0 || anchors.Length % 2 != 0)
            throw new ArgumentException($"anchors holds {anchors.Length} values; (width, height) pairs are needed.", nameof(anchors));
        int anchorCount = anchors.Length / 2;
        int entries = 5 + classCount;
        if (output.Length != height * width * anchorCount * entries)
            throw new ArgumentException($"output holds {output.Length} values; {height}×{width}×{anchorCount}×(5 + {classCount}) need {height * width * anchorCount * entries}.", nameof(output));
        float shift = (xyScale - 1) / 2;
        for (int y = 0, row = 0; y < height; y++)
            for (int x = 0; x < width; x++)
                for (int a = 0; a < anchorCount; a++, row++)
                {
                    var values = output.Slice(row * entries, entries);
                    float objectness = values[4];
                    float best = objectness * values[5];
                    int bestClass = 0;
                    for (int c = 1; c < classCount; c++)
                    {
                        float score = objectness * values[5 + c];
                        if (score > best)
                        {
                            best = score;
                            bestClass = c;
                        }
                    }
                    if (!(best > scoreThreshold)) continue;
                    float cx = (x + xyScale * Sigmoid(values[0]) - shift) * strideX;
                    float cy = (y + xyScale * Sigmoid(values[1]) - shift) * strideY;
                    float w = anchors[2 * a] * MathF.Exp(values[2]);
                    float h = anchors[2 * a + 1] * MathF.Exp(values[3]);
                    candidates.AddCentred(cx, cy, w, h, best, bestClass);
                }
    }

    /// <summary>The logistic σ(x) = 1/(1 + e^−x), written so that e^x never overflows.</summary>
    public static float Sigmoid(float x)
    {
        if (x >= 0) return 1f / (1f + MathF.Exp(-x));
        float e = MathF.Exp(x);
        return e / (1f + e);
    }

    // softmax(logits)[index], shifted by the maximum (logits[index] is the maximum here).
    private static float SoftmaxAt(ReadOnlySpan<float> logits, int index)
    {
        float max = logits[index];
        float sum = 0;
        for (int c = 0; c < logits.Length; c++) sum += MathF.Exp(logits[c] - max);
        return 1f / sum;
    }

    private static int Rows(ReadOnlySpan<float> output, int width, string parameterName)
    {
        if (output.Length % width != 0)
            throw new ArgumentException($"{parameterName} holds {output.Length} values, not a multiple of {width}.", parameterName);
        return output.Length / width;
    }
}
