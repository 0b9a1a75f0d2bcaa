namespace MLNetExt.Core.Detection;

/// <summary>The annotated objects of one image, for <see cref="VocEvaluator"/> and <see cref="CocoEvaluator"/>.</summary>
public sealed class ImageGroundTruth
{
    /// <summary>Holds one image's annotations.</summary>
    /// <param name="boxes">[G, 4] xyxy boxes.</param>
    /// <param name="classes">[G] class indices in [0, C).</param>
    /// <param name="isCrowd">[G] COCO's <c>iscrowd</c>: a crowd region is never a miss, and a detection inside it is neither right nor wrong (COCO only). Null: none.</param>
    /// <param name="isDifficult">[G] VOC's <c>difficult</c>: such an object is not counted, nor is a detection matched to it (VOC only). Null: none.</param>
    /// <param name="areas">[G] the areas that place the objects in COCO's small/medium/large ranges (COCO annotates the segmentation's area). Null: the box areas.</param>
    /// <exception cref="ArgumentException">A length disagrees with the box count.</exception>
    public ImageGroundTruth(float[] boxes, int[] classes, bool[]? isCrowd = null, bool[]? isDifficult = null, float[]? areas = null)
    {
        ArgumentNullException.ThrowIfNull(boxes);
        ArgumentNullException.ThrowIfNull(classes);
        int g = BoxSpans.RequireBoxes(boxes, nameof(boxes));
        BoxSpans.RequirePerBox<int>(classes, g, nameof(classes));
        if (isCrowd is not null) BoxSpans.RequirePerBox<bool>(isCrowd, g, nameof(isCrowd));
        if (isDifficult is not null) BoxSpans.RequirePerBox<bool>(isDifficult, g, nameof(isDifficult));
        if (areas is not null) BoxSpans.RequirePerBox<float>(areas, g, nameof(areas));
        Boxes = boxes;
        Classes = classes;
        IsCrowd = isCrowd ?? new bool[g];
        IsDifficult = isDifficult ?? new bool[g];
        if (areas is null)
        {
            areas = new float[g];
            for (int i = 0; i < g; i++) areas[i] = (boxes[4 * i + 2] - boxes[4 * i]) * (boxes[4 * i + 3] - boxes[4 * i + 1]);
        }
        Areas = areas;
    }

    /// <summary>[G, 4] xyxy boxes.</summary>
    public float[] Boxes { get; }

    /// <summary>[G] class indices.</summary>
    public int[] Classes { get; }

    /// <summary>[G] COCO crowd flags.</summary>
    public bool[] IsCrowd { get; }

    /// <summary>[G] VOC difficult flags.</summary>
    public bool[] IsDifficult { get; }

    /// <summary>[G] areas for COCO's area ranges.</summary>
    public float[] Areas { get; }

    /// <summary>G.</summary>
    public int Count => Classes.Length;
}
