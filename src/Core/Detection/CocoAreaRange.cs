namespace MLNetExt.Core.Detection;

/// <summary>COCO's object-size ranges (areas in square pixels, bounds inclusive as in pycocotools).</summary>
public enum CocoAreaRange
{
    /// <summary>[0, 10¹⁰]: every object.</summary>
    All,

    /// <summary>[0, 32²].</summary>
    Small,

    /// <summary>[32², 96²].</summary>
    Medium,

    /// <summary>[96², 10¹⁰].</summary>
    Large,
}
