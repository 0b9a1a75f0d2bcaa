namespace MLNetExt.Core.Detection;

/// <summary>
/// A growable list of scored, classed xyxy boxes: what a YOLO head decodes into before NMS. Reused between rows,
/// so decoding a stream of outputs allocates only while the list grows.
/// </summary>
public sealed class DetectionCandidates
{
    private float[] _boxes = new float[64 * 4];
    private float[] _scores = new float[64];
    private int[] _classes = new int[64];

    /// <summary>The number of candidates.</summary>
    public int Count { get; private set; }

    /// <summary>[Count, 4] xyxy boxes.</summary>
    public Span<float> Boxes => _boxes.AsSpan(0, 4 * Count);

    /// <summary>[Count] scores.</summary>
    public Span<float> Scores => _scores.AsSpan(0, Count);

    /// <summary>[Count] class indices.</summary>
    public Span<int> Classes => _classes.AsSpan(0, Count);

    /// <summary>Empties the list, keeping its storage.</summary>
    public void Clear() => Count = 0;

    /// <summary>Appends the box centred at (cx, cy) of size w×h, as xyxy (cx − w/2, cy − h/2, cx + w/2, cy + h/2).</summary>
    public void AddCentred(float cx, float cy, float w, float h, float score, int classIndex)
    {
        if (Count == _scores.Length)
        {
            Array.Resize(ref _boxes, _boxes.Length * 2);
            Array.Resize(ref _scores, _scores.Length * 2);
            Array.Resize(ref _classes, _classes.Length * 2);
        }
        var (x1, y1, x2, y2) = BoxConversion.ToXyxy(cx, cy, w, h, BoxFormat.Cxcywh);
        int b = 4 * Count;
        _boxes[b] = x1;
        _boxes[b + 1] = y1;
        _boxes[b + 2] = x2;
        _boxes[b + 3] = y2;
        _scores[Count] = score;
        _classes[Count] = classIndex;
        Count++;
    }
}
