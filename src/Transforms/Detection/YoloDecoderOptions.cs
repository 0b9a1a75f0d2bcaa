using MLNetExt.Core.Detection;

namespace MLNetExt.Transforms.Detection;

/// <summary>The settings of the YOLO decoder (<c>mlContext.Transforms.DecodeYolo</c>).</summary>
public sealed class YoloDecoderOptions
{
    /// <summary>The default score threshold (Ultralytics' <c>conf=0.25</c>).</summary>
    public const float DefaultScoreThreshold = 0.25f;

    /// <summary>The default IoU threshold of NMS (Ultralytics' <c>iou=0.45</c> for detection export).</summary>
    public const float DefaultIouThreshold = 0.45f;

    /// <summary>The default cap on detections per row (Ultralytics' <c>max_det=300</c>).</summary>
    public const int DefaultMaxDetections = 300;

    /// <summary>
    /// The model's output columns, as <c>ApplyOnnxModel</c> names them: one for tiny-YOLOv2, YOLOv5 and YOLOv8; one per
    /// scale for YOLOv3/v4 heads. Each is a known-size vector of Single; its dimensions (e.g. [1, 84, 8400]) tell the
    /// layout when <see cref="Layout"/> is <see cref="YoloLayout.Auto"/>.
    /// </summary>
    public string[] InputColumnNames { get; set; } = [];

    /// <summary>
    /// The layout; <see cref="YoloLayout.Auto"/> recognizes it from the dimensions (leading 1s dropped) and C, the
    /// number of <see cref="ClassNames"/>: [N, 5 + C] is YOLOv5, [4 + C, N] is YOLOv8, [H, W, A, 5 + C] is the zoo's
    /// YOLOv4, [A·(5 + C), H, W] is tiny-YOLOv2 for one column and YOLOv3 for several.
    /// </summary>
    public YoloLayout Layout { get; set; } = YoloLayout.Auto;

    /// <summary>The class names, in the model's class order (C of them, distinct): the key values of the predicted labels.</summary>
    public string[] ClassNames { get; set; } = [];

    /// <summary>The model input's width in pixels; 0 means the layout's usual size (416 for tiny-YOLOv2, YOLOv3 and YOLOv4, 640 otherwise).</summary>
    public int InputWidth { get; set; }

    /// <summary>The model input's height in pixels; 0 means the layout's usual size.</summary>
    public int InputHeight { get; set; }

    /// <summary>
    /// Anchor-grid layouts only (tiny-YOLOv2, YOLOv3, YOLOv4): anchor (width, height) pairs in input pixels, A per
    /// head, heads in the order of <see cref="InputColumnNames"/>. Null means the layout's defaults: tiny-YOLOv2's 5
    /// VOC anchors (1.08, 1.19), (3.42, 4.41), (6.63, 11.38), (9.42, 5.11), (16.62, 10.52) in grid cells, times the
    /// stride; YOLOv3's 9 COCO anchors and the zoo YOLOv4's 9 anchors, the 3 smallest to the finest grid.
    /// </summary>
    public float[]? Anchors { get; set; }

    /// <summary>Anchor-grid layouts only: <c>scale_x_y</c> per head (in the order of the columns); null means 1 for every head, except the zoo YOLOv4's 1.2, 1.1, 1.05 from the finest grid.</summary>
    public float[]? XYScales { get; set; }

    /// <summary>A detection needs a score strictly above this (at least 0).</summary>
    public float ScoreThreshold { get; set; } = DefaultScoreThreshold;

    /// <summary>NMS drops a box whose IoU with a kept box of its class is strictly above this (in [0, 1]).</summary>
    public float IouThreshold { get; set; } = DefaultIouThreshold;

    /// <summary>The most detections per row (the highest-scoring); at least 1.</summary>
    public int MaxDetections { get; set; } = DefaultMaxDetections;

    /// <summary>When true, boxes of different classes also suppress each other.</summary>
    public bool ClassAgnostic { get; set; }

    /// <summary>
    /// A Single column with each row's original image width; with <see cref="OriginalHeightColumnName"/>, boxes are
    /// mapped from the model input back to the original image, inverting <see cref="LetterboxKind"/> (see
    /// <see cref="Letterbox"/>). Null leaves boxes in model-input pixels.
    /// </summary>
    public string? OriginalWidthColumnName { get; set; }

    /// <summary>A Single column with each row's original image height; given together with <see cref="OriginalWidthColumnName"/>.</summary>
    public string? OriginalHeightColumnName { get; set; }

    /// <summary>
    /// How the images were fitted to the model's input, which the mapping to original pixels inverts: Ultralytics'
    /// letterbox (its own preprocessing; the default), ML.NET's <c>ResizeImages</c> with <c>ResizingKind.IsoPad</c>, or
    /// <c>ResizingKind.Fill</c> (stretched).
    /// </summary>
    public LetterboxKind LetterboxKind { get; set; } = LetterboxKind.Ultralytics;

    /// <summary>The predicted classes: a vector of keys whose key values are <see cref="ClassNames"/> (ML.NET's detector name).</summary>
    public string PredictedLabelColumnName { get; set; } = "PredictedLabel";

    /// <summary>The boxes: a vector of Single, four per detection, x1, y1, x2, y2 (ML.NET's detector name).</summary>
    public string PredictedBoundingBoxesColumnName { get; set; } = "PredictedBoundingBoxes";

    /// <summary>The scores: a vector of Single, one per detection, in decreasing order (ML.NET's detector name).</summary>
    public string ScoreColumnName { get; set; } = "Score";

    /// <summary>A checked copy (layout-dependent sizes left at 0 are resolved later, against the columns).</summary>
    /// <exception cref="ArgumentException">A setting is missing or out of range; the message names it.</exception>
    internal YoloDecoderOptions Validated()
    {
        if (InputColumnNames is null || InputColumnNames.Length == 0 || InputColumnNames.Any(string.IsNullOrEmpty))
            throw new ArgumentException("InputColumnNames must name at least one output column of the model.", nameof(InputColumnNames));
        if (!Enum.IsDefined(Layout)) throw new ArgumentOutOfRangeException(nameof(Layout), Layout, "Unknown YOLO layout.");
        if (ClassNames is null || ClassNames.Length == 0 || ClassNames.Any(string.IsNullOrEmpty))
            throw new ArgumentException("ClassNames must name every class of the model.", nameof(ClassNames));
        var repeated = ClassNames.GroupBy(n => n, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        if (repeated is not null)
            throw new ArgumentException($"ClassNames holds '{repeated.Key}' more than once; each class needs its own name.", nameof(ClassNames));
        if (InputWidth < 0) throw new ArgumentOutOfRangeException(nameof(InputWidth), InputWidth, "InputWidth must be positive (or 0 for the layout's usual size).");
        if (InputHeight < 0) throw new ArgumentOutOfRangeException(nameof(InputHeight), InputHeight, "InputHeight must be positive (or 0 for the layout's usual size).");
        if (Anchors is not null && (Anchors.Length == 0 || Anchors.Length % 2 != 0 || Anchors.Any(a => !(a > 0) || !float.IsFinite(a))))
            throw new ArgumentException("Anchors must be (width, height) pairs of positive, finite pixel sizes.", nameof(Anchors));
        if (XYScales is not null && XYScales.Any(s => !(s > 0) || !float.IsFinite(s)))
            throw new ArgumentException("XYScales must be positive, finite numbers.", nameof(XYScales));
        if (!(ScoreThreshold >= 0) || !float.IsFinite(ScoreThreshold))
            throw new ArgumentOutOfRangeException(nameof(ScoreThreshold), ScoreThreshold, "ScoreThreshold must be a finite number ≥ 0.");
        if (!(IouThreshold >= 0 && IouThreshold <= 1))
            throw new ArgumentOutOfRangeException(nameof(IouThreshold), IouThreshold, "IouThreshold must be in [0, 1].");
        if (MaxDetections < 1) throw new ArgumentOutOfRangeException(nameof(MaxDetections), MaxDetections, "MaxDetections must be at least 1.");
        if (!Enum.IsDefined(LetterboxKind)) throw new ArgumentOutOfRangeException(nameof(LetterboxKind), LetterboxKind, "Unknown letterbox kind.");
        if ((OriginalWidthColumnName is null) != (OriginalHeightColumnName is null))
            throw new ArgumentException("OriginalWidthColumnName and OriginalHeightColumnName go together: give both or neither.", nameof(OriginalWidthColumnName));
        var outputs = new[] { PredictedLabelColumnName, PredictedBoundingBoxesColumnName, ScoreColumnName };
        if (outputs.Any(string.IsNullOrEmpty) || outputs.Distinct(StringComparer.Ordinal).Count() != 3)
            throw new ArgumentException("The label, boxes and score column names must be distinct and non-empty.", nameof(PredictedLabelColumnName));
        return new YoloDecoderOptions
        {
            InputColumnNames = [.. InputColumnNames],
            Layout = Layout,
            ClassNames = [.. ClassNames],
            InputWidth = InputWidth,
            InputHeight = InputHeight,
            Anchors = Anchors is null ? null : [.. Anchors],
            XYScales = XYScales is null ? null : [.. XYScales],
            ScoreThreshold = ScoreThreshold,
            IouThreshold = IouThreshold,
            MaxDetections = MaxDetections,
            ClassAgnostic = ClassAgnostic,
            OriginalWidthColumnName = OriginalWidthColumnName,
            OriginalHeightColumnName = OriginalHeightColumnName,
            LetterboxKind = LetterboxKind,
            PredictedLabelColumnName = PredictedLabelColumnName,
            PredictedBoundingBoxesColumnName = PredictedBoundingBoxesColumnName,
            ScoreColumnName = ScoreColumnName,
        };
    }
}
