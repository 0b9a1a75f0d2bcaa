using Microsoft.ML;
using Microsoft.ML.Data;
using MLNetExt.Transforms;
using MLNetExt.Transforms.Detection;

namespace MLNetExt.Estimators.Detection;

/// <summary>
/// Decodes a standard YOLO ONNX model's outputs (tiny-YOLOv2, YOLOv3/v4 darknet heads, the ONNX zoo's YOLOv4, YOLOv5/v7, YOLOv8/v11) into
/// detections with NMS; goes after <c>ApplyOnnxModel</c>. Nothing is learned: fitting resolves the layout from the
/// output columns' dimensions. See <see cref="YoloDecoderTransformer"/> for the outputs and <see cref="YoloDecoderOptions"/> for the settings.
/// </summary>
public sealed class YoloDecoderEstimator : IEstimator<YoloDecoderTransformer>
{
    private readonly YoloDecoderOptions _options;

    internal YoloDecoderEstimator(YoloDecoderOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options.Validated();
    }

    /// <summary>Checks the columns, recognizes the layout and returns the decoder.</summary>
    /// <param name="input">The data; only its schema is read.</param>
    /// <exception cref="ArgumentOutOfRangeException">A column is missing, has the wrong type, or fits no layout; the message names it.</exception>
    public YoloDecoderTransformer Fit(IDataView input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var geometry = YoloDecoderTransformer.Resolve(_options, input.Schema, nameof(input));
        return new YoloDecoderTransformer(_options, geometry);
    }

    /// <summary>Adds PredictedLabel (a vector of keys with the class names as key values), PredictedBoundingBoxes and Score (vectors of Single).</summary>
    /// <param name="inputSchema">The input's shape.</param>
    /// <exception cref="ArgumentOutOfRangeException">A column is missing or is not a vector of Single; the message names it.</exception>
    public SchemaShape GetOutputSchema(SchemaShape inputSchema)
    {
        ArgumentNullException.ThrowIfNull(inputSchema);
        foreach (var name in _options.InputColumnNames)
        {
            var column = ColumnChecks.Find(inputSchema, name);
            if (column.Kind == SchemaShape.Column.VectorKind.Scalar || column.ItemType != NumberDataViewType.Single || column.IsKey)
                throw ColumnChecks.WrongType(column, "a known-size vector of Single (a model output)");
        }
        foreach (var name in new[] { _options.OriginalWidthColumnName, _options.OriginalHeightColumnName }.OfType<string>())
        {
            var column = ColumnChecks.Find(inputSchema, name);
            if (column.Kind != SchemaShape.Column.VectorKind.Scalar || column.ItemType != NumberDataViewType.Single || column.IsKey)
                throw ColumnChecks.WrongType(column, "Single (an image size in pixels)");
        }
        var keyValues = new SchemaShape([ColumnChecks.Shape(ColumnChecks.KeyValues, SchemaShape.Column.VectorKind.Vector, TextDataViewType.Instance, false)]);
        var variable = SchemaShape.Column.VectorKind.VariableVector;
        var columns = inputSchema
            .Where(c => c.Name != _options.PredictedLabelColumnName && c.Name != _options.PredictedBoundingBoxesColumnName && c.Name != _options.ScoreColumnName)
            .Append(ColumnChecks.Shape(_options.PredictedLabelColumnName, variable, NumberDataViewType.UInt32, true, keyValues))
            .Append(ColumnChecks.Shape(_options.PredictedBoundingBoxesColumnName, variable, NumberDataViewType.Single, false))
            .Append(ColumnChecks.Shape(_options.ScoreColumnName, variable, NumberDataViewType.Single, false));
        return new SchemaShape(columns);
    }
}
