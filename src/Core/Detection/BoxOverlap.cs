namespace MLNetExt.Core.Detection;

/// <summary>
/// IoU and its generalized, distance and complete forms between xyxy boxes, pairwise (an [N, M] matrix, as
/// torchvision's <c>box_iou</c>, <c>generalized_box_iou</c>, <c>distance_box_iou</c> and <c>complete_box_iou</c>) or
/// elementwise (box i with box i, as torchvision's IoU losses pair them).
/// </summary>
/// <remarks>
/// <para>Each value is computed in float32 in torchvision's order of operations, so the results agree with it to an
/// ulp or two (the arctangent of CIoU is the only transcendental). With A and B the boxes, C the smallest box holding
/// both, ρ the distance between the centres, c the diagonal of C and ε = 1e-7:</para>
/// <para>IoU = |A∩B| / (|A| + |B| − |A∩B|); GIoU = IoU − (|C| − |A∪B|) / |C|; DIoU = IoU − ρ² / (c² + ε);
/// CIoU = DIoU − α·v with v = 4/π²·(atan(w_A/h_A) − atan(w_B/h_B))² and α = v / (1 − IoU + v + ε).</para>
/// <para>As in torchvision, boxes are expected to have x1 &lt; x2 and y1 &lt; y2; two empty boxes give 0/0 = NaN
/// (IoU) rather than a made-up value, so a caller sees the degenerate input.</para>
/// </remarks>
public static class BoxOverlap
{
    // torchvision's default eps for DIoU and CIoU, added in float32.
    private const float Epsilon = 1e-7f;

    // 4/π², rounded to float32 as PyTorch rounds a Python scalar multiplying a float32 tensor.
    private const float AspectScale = (float)(4.0 / (Math.PI * Math.PI));

    /// <summary>
    /// The overlap of every box of <paramref name="boxes1"/> with every box of <paramref name="boxes2"/>: effectively
    /// computes destination[i·M + j] = overlap(boxes1[i], boxes2[j]).
    /// </summary>
    /// <param name="boxes1">[N, 4] xyxy boxes.</param>
    /// <param name="boxes2">[M, 4] xyxy boxes.</param>
    /// <param name="destination">Receives the [N, M] matrix, row-major.</param>
    /// <param name="kind">Which overlap to compute.</param>
    /// <exception cref="ArgumentException">A box span's length is not a multiple of 4, or <paramref name="destination"/> does not hold N·M values.</exception>
    public static void Pairwise(ReadOnlySpan<float> boxes1, ReadOnlySpan<float> boxes2, Span<float> destination, IouKind kind = IouKind.Iou)
    {
        int n = BoxSpans.RequireBoxes(boxes1, nameof(boxes1));
        int m = BoxSpans.RequireBoxes(boxes2, nameof(boxes2));
        RequireKind(kind);
        if (destination.Length != n * m)
            throw new ArgumentException($"destination holds {destination.Length} values; the [{n}, {m}] matrix needs {n * m}.", nameof(destination));
        for (int i = 0; i < n; i++)
        {
            var a = boxes1.Slice(4 * i, 4);
            var row = destination.Slice(i * m, m);
            for (int j = 0; j < m; j++) row[j] = Overlap(a, boxes2.Slice(4 * j, 4), kind);
        }
    }

    /// <summary>The overlap of box i of <paramref name="boxes1"/> with box i of <paramref name="boxes2"/>: destination[i] = overlap(boxes1[i], boxes2[i]).</summary>
    /// <param name="boxes1">[N, 4] xyxy boxes.</param>
    /// <param name="boxes2">[N, 4] xyxy boxes.</param>
    /// <param name="destination">Receives the N values.</param>
    /// <param name="kind">Which overlap to compute.</param>
    /// <exception cref="ArgumentException">The box counts differ, a length is not a multiple of 4, or <paramref name="destination"/> does not hold N values.</exception>
    public static void Elementwise(ReadOnlySpan<float> boxes1, ReadOnlySpan<float> boxes2, Span<float> destination, IouKind kind = IouKind.Iou)
    {
        int n = BoxSpans.RequireBoxes(boxes1, nameof(boxes1));
        int m = BoxSpans.RequireBoxes(boxes2, nameof(boxes2));
        RequireKind(kind);
        if (m != n) throw new ArgumentException($"boxes2 holds {m} boxes; boxes1 holds {n}.", nameof(boxes2));
        BoxSpans.RequirePerBox<float>(destination, n, nameof(destination));
        for (int i = 0; i < n; i++) destination[i] = Overlap(boxes1.Slice(4 * i, 4), boxes2.Slice(4 * i, 4), kind);
    }

    /// <summary>The overlap of two xyxy boxes (each a span of 4).</summary>
    public static float Overlap(ReadOnlySpan<float> a, ReadOnlySpan<float> b, IouKind kind = IouKind.Iou)
    {
        float areaA = (a[2] - a[0]) * (a[3] - a[1]);
        float areaB = (b[2] - b[0]) * (b[3] - b[1]);
        float interWidth = MathF.Max(MathF.Min(a[2], b[2]) - MathF.Max(a[0], b[0]), 0f);
        float interHeight = MathF.Max(MathF.Min(a[3], b[3]) - MathF.Max(a[1], b[1]), 0f);
        float intersection = interWidth * interHeight;
        float union = areaA + areaB - intersection;
        float iou = intersection / union;
        if (kind == IouKind.Iou) return iou;

        float hullWidth = MathF.Max(MathF.Max(a[2], b[2]) - MathF.Min(a[0], b[0]), 0f);
        float hullHeight = MathF.Max(MathF.Max(a[3], b[3]) - MathF.Min(a[1], b[1]), 0f);
        if (kind == IouKind.Generalized)
        {
            float hullArea = hullWidth * hullHeight;
            return iou - (hullArea - union) / hullArea;
        }

        float diagonalSquared = hullWidth * hullWidth + hullHeight * hullHeight + Epsilon;
        float centreDx = (a[0] + a[2]) / 2 - (b[0] + b[2]) / 2;
        float centreDy = (a[1] + a[3]) / 2 - (b[1] + b[3]) / 2;
        float distanceIou = iou - (centreDx * centreDx + centreDy * centreDy) / diagonalSquared;
        if (kind == IouKind.Distance) return distanceIou;
        if (kind != IouKind.Complete) throw new ArgumentOutOfRangeException(nameof(kind), kind, "Unknown IoU kind.");

        float aspectGap = MathF.Atan((a[2] - a[0]) / (a[3] - a[1])) - MathF.Atan((b[2] - b[0]) / (b[3] - b[1]));
        float v = AspectScale * (aspectGap * aspectGap);
        float alpha = v / (1 - iou + v + Epsilon);
        return distanceIou - alpha * v;
    }

    private static void RequireKind(IouKind kind)
    {
        if (!Enum.IsDefined(kind)) throw new ArgumentOutOfRangeException(nameof(kind), kind, "Unknown IoU kind.");
    }
}
