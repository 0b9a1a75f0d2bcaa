using MLNetExt.Transforms.Detection;

namespace Microsoft.ML;

/// <summary>Object-detection evaluation on <c>mlContext.MulticlassClassification</c> (where ML.NET puts its own), added by MLNetExt.</summary>
public static class DetectionEvaluationCatalog
{
    /// <summary>
    /// Evaluates a detector's output against the objects of each row: COCO's MAP50 and MAP50_95 (the names of ML.NET's
    /// <c>ObjectDetectionMetrics</c>), the full COCO evaluation and VOC's per-class AP and precision–recall curves.
    /// See <see cref="DetectionEvaluation.Evaluate"/> and <see cref="DetectionMetrics"/>.
    /// </summary>
    /// <param name="catalog">The multiclass classification catalog.</param>
    /// <param name="data">The scored data, one image per row.</param>
    /// <param name="labelColumnName">The objects' classes: a vector of keys with text key values, or of text (ML.NET's detector: <c>Label</c>).</param>
    /// <param name="boxColumnName">The objects' boxes, x1, y1, x2, y2 per object (ML.NET's detector: <c>Box</c>).</param>
    /// <param name="predictedLabelColumnName">The detections' classes.</param>
    /// <param name="predictedBoxesColumnName">The detections' boxes, four per detection.</param>
    /// <param name="scoreColumnName">The detections' scores.</param>
    /// <param name="maxDetections">COCO's maxDets: the most detections per image and class counted.</param>
    public static DetectionMetrics EvaluateDetections(this MulticlassClassificationCatalog catalog, IDataView data,
        string labelColumnName = "Label", string boxColumnName = "Box", string predictedLabelColumnName = "PredictedLabel",
        string predictedBoxesColumnName = "PredictedBoundingBoxes", string scoreColumnName = "Score", int maxDetections = 100)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        return DetectionEvaluation.Evaluate(data, labelColumnName, boxColumnName, predictedLabelColumnName, predictedBoxesColumnName,
            scoreColumnName, maxDetections);
    }
}
