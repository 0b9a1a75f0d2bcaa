namespace MLNetExt.Transforms.Detection;

/// <summary>One detection of one scored row: the tidy, one-row-per-detection form of a detector's vector columns.</summary>
public sealed class DetectionRow
{
    /// <summary>The position of the scored row the detection belongs to (0-based).</summary>
    public long Row { get; set; }

    /// <summary>The class name (the key value of the predicted label).</summary>
    public string Label { get; set; } = "";

    /// <summary>The detection's score.</summary>
    public float Score { get; set; }

    /// <summary>The left edge.</summary>
    public float X1 { get; set; }

    /// <summary>The top edge.</summary>
    public float Y1 { get; set; }

    /// <summary>The right edge.</summary>
    public float X2 { get; set; }

    /// <summary>The bottom edge.</summary>
    public float Y2 { get; set; }
}
