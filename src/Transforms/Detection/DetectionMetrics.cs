using MLNetExt.Core.Detection;

namespace MLNetExt.Transforms.Detection;

/// <summary>
/// Detection quality over a scored data set: COCO's numbers under the names ML.NET's <c>ObjectDetectionMetrics</c>
/// uses (<see cref="MAP50"/>, <see cref="MAP50_95"/>), and the full COCO and VOC evaluations with per-class AP and
/// precision–recall curves.
/// </summary>
/// <remarks>
/// The numbers follow pycocotools' <c>COCOeval</c> and the VOC devkit (see <see cref="CocoEvaluator"/> and
/// <see cref="VocEvaluator"/>), not ML.NET's own <c>ObjectDetectionMetrics</c>, which pairs each object with one
/// detection by IoU once for all thresholds, adds 1 to every width and height and drops scores below 0.05; its
/// figures can therefore differ from these on the same data.
/// </remarks>
public sealed class DetectionMetrics
{
    internal DetectionMetrics(IReadOnlyList<string> classNames, CocoEvaluation coco, VocEvaluation voc)
    {
        ClassNames = classNames;
        Coco = coco;
        Voc = voc;
    }

    /// <summary>The classes, in the order of the per-class figures: the label's key values, then any predicted class they lack.</summary>
    public IReadOnlyList<string> ClassNames { get; }

    /// <summary>COCO AP at IoU 0.50 (101 recall points), averaged over the classes with objects.</summary>
    public double MAP50 => Coco.MeanAveragePrecision50;

    /// <summary>COCO AP averaged over IoU 0.50:0.05:0.95 and the classes with objects: COCO's headline mAP.</summary>
    public double MAP50_95 => Coco.MeanAveragePrecision;

    /// <summary>The COCO evaluation: AP75, AP by object size, AR, per-class AP, interpolated precision curves.</summary>
    public CocoEvaluation Coco { get; }

    /// <summary>The VOC evaluation at IoU 0.5 (all-point interpolation): per-class AP and precision–recall curves.</summary>
    public VocEvaluation Voc { get; }
}
