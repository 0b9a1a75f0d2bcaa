using MLNetExt.Estimators.Detection;
using MLNetExt.Transforms.Detection;

namespace Microsoft.ML;

/// <summary>The YOLO decoder of <c>mlContext.Transforms</c>, added by MLNetExt.</summary>
public static class YoloDecoderCatalog
{
    /// <summary>
    /// Decodes a standard YOLO ONNX model's outputs into detections (PredictedLabel, PredictedBoundingBoxes, Score, as
    /// ML.NET's detector names them); goes after <c>ApplyOnnxModel</c>. See <see cref="YoloDecoderEstimator"/>.
    /// </summary>
    /// <param name="catalog">The transforms catalog.</param>
    /// <param name="inputColumnName">The model's output column (e.g. <c>output0</c> for YOLOv8, <c>grid</c> for the zoo's tiny-YOLOv2).</param>
    /// <param name="classNames">The class names, in the model's class order.</param>
    /// <param name="layout">The layout, or <see cref="YoloLayout.Auto"/> to recognize it from the column's dimensions.</param>
    /// <param name="scoreThreshold">A detection needs a score above this.</param>
    /// <param name="iouThreshold">NMS drops a box whose IoU with a kept box of its class is above this.</param>
    /// <param name="maxDetections">The most detections per row.</param>
    public static YoloDecoderEstimator DecodeYolo(this TransformsCatalog catalog, string inputColumnName, string[] classNames,
        YoloLayout layout = YoloLayout.Auto, float scoreThreshold = YoloDecoderOptions.DefaultScoreThreshold,
        float iouThreshold = YoloDecoderOptions.DefaultIouThreshold, int maxDetections = YoloDecoderOptions.DefaultMaxDetections)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        return new YoloDecoderEstimator(new YoloDecoderOptions
        {
            InputColumnNames = [inputColumnName],
            ClassNames = classNames,
            Layout = layout,
            ScoreThreshold = scoreThreshold,
            IouThreshold = iouThreshold,
            MaxDetections = maxDetections,
        });
    }

    /// <summary>Decodes a standard YOLO ONNX model's outputs into detections; see <see cref="YoloDecoderEstimator"/>.</summary>
    /// <param name="catalog">The transforms catalog.</param>
    /// <param name="options">The settings; validated here.</param>
    public static YoloDecoderEstimator DecodeYolo(this TransformsCatalog catalog, YoloDecoderOptions options)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        return new YoloDecoderEstimator(options);
    }

    /// <summary>
    /// A detector's output as a data view with one row per detection: Row (the scored row's position), Label (the class
    /// name), Score, X1, Y1, X2, Y2. Lazy: each pass reads <paramref name="scored"/> again. See <see cref="DetectionRows"/>.
    /// </summary>
    /// <param name="catalog">The data catalog.</param>
    /// <param name="scored">The scored data, with the detector's vector columns.</param>
    /// <param name="labelColumnName">The predicted labels: a vector of keys with text key values.</param>
    /// <param name="boxesColumnName">The boxes: four values per detection.</param>
    /// <param name="scoreColumnName">The scores: one per detection.</param>
    /// <exception cref="ArgumentOutOfRangeException">A column is missing or has the wrong type; the message names it.</exception>
    public static IDataView ToDetectionRows(this DataOperationsCatalog catalog, IDataView scored, string labelColumnName = "PredictedLabel",
        string boxesColumnName = "PredictedBoundingBoxes", string scoreColumnName = "Score")
    {
        ArgumentNullException.ThrowIfNull(catalog);
        // Read checks the columns now; its detections are enumerated afresh for each cursor of the view.
        return catalog.LoadFromEnumerable(DetectionRows.Read(scored, labelColumnName, boxesColumnName, scoreColumnName));
    }
}
