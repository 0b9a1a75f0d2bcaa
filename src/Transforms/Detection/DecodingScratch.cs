namespace MLNetExt.Transforms.Detection;

/// <summary>The per-cursor buffers of the YOLO decoder, grown on demand and reused from row to row.</summary>
internal sealed class DecodingScratch
{
    /// <summary>YOLOv8: each box's best class score so far.</summary>
    public float[] BestScores { get; private set; } = [];

    /// <summary>YOLOv8: each box's best class so far.</summary>
    public int[] BestClasses { get; private set; } = [];

    /// <summary>tiny-YOLOv2 and YOLOv3 heads: one cell's class logits.</summary>
    public float[] ClassValues { get; private set; } = [];

    /// <summary>Makes room for <paramref name="boxes"/> boxes and <paramref name="classes"/> classes.</summary>
    public void Ensure(int boxes, int classes)
    {
        if (BestScores.Length < boxes)
        {
            BestScores = new float[boxes];
            BestClasses = new int[boxes];
        }
        if (ClassValues.Length < classes)
            ClassValues = new float[classes];
    }
}
