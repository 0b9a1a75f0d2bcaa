using Microsoft.ML;
using Microsoft.ML.Data;

namespace MLNetExt.Cli.Output;

/// <summary>
/// A model's prediction columns and its task, read from the scored schema by ML.NET's conventions: Score (Single) with
/// Probability and a Boolean PredictedLabel → binary classification; Score (vector) with a key PredictedLabel →
/// multiclass; PredictedLabel a variable-length key vector → tagging; Score (Single) alone → regression; Score (vector
/// of Single) alone → multi-step regression (forecasting); Score (Single) and a Boolean PredictedLabel without
/// Probability → anomaly detection.
/// </summary>
/// <remarks>
/// ML.NET's anomaly scorer marks its columns as binary classification (ScoreColumnKind), so the missing Probability is
/// what tells an anomaly detector apart; an uncalibrated ML.NET binary classifier, which has none either, reads as one.
/// </remarks>
internal sealed record ModelOutput(PredictionTask Task, DataViewSchema.Column Score, DataViewSchema.Column? PredictedLabel, DataViewSchema.Column? Probability)
{
    /// <summary>Reads the prediction columns of <paramref name="scored"/>; a one-line error when they follow none of the conventions.</summary>
    public static ModelOutput Of(DataViewSchema scored, string modelPath)
    {
        var score = scored.GetColumnOrNull(ModelParts.ScoreColumn)
            ?? throw new CliException($"Model '{modelPath}' writes no Score column; evaluate and predict need a model trained by 'mlnetext train', 'mlnetext sequence' or 'mlnetext anomaly'.");
        var predicted = scored.GetColumnOrNull("PredictedLabel");
        var probability = scored.GetColumnOrNull("Probability");
        PredictionTask? task = (score.Type, predicted?.Type) switch
        {
            (var s, BooleanDataViewType) when s == NumberDataViewType.Single && probability?.Type == NumberDataViewType.Single => PredictionTask.BinaryClassification,
            (var s, BooleanDataViewType) when s == NumberDataViewType.Single && probability is null => PredictionTask.AnomalyDetection,
            (VectorDataViewType { ItemType: var item, IsKnownSize: true }, KeyDataViewType) when item == NumberDataViewType.Single => PredictionTask.MulticlassClassification,
            (_, VectorDataViewType { ItemType: KeyDataViewType, IsKnownSize: false }) => PredictionTask.Tagging,
            (var s, null) when s == NumberDataViewType.Single => PredictionTask.Regression,
            (VectorDataViewType { ItemType: var item }, null) when item == NumberDataViewType.Single => PredictionTask.MultiStepRegression,
            _ => null,
        };
        if (task is null)
            throw new CliException($"Model '{modelPath}' writes Score ({score.Type}){(predicted is { } p ? $" and PredictedLabel ({p.Type})" : "")}, which match no task the CLI knows.");
        return new ModelOutput(task.Value, score, predicted, probability);
    }

    /// <summary>The task in words, e.g. "multiclass classification".</summary>
    public string TaskName => Task switch
    {
        PredictionTask.BinaryClassification => "binary classification",
        PredictionTask.MulticlassClassification => "multiclass classification",
        PredictionTask.Tagging => "tagging",
        PredictionTask.Regression => "regression",
        PredictionTask.AnomalyDetection => "anomaly detection",
        _ => "multi-step regression",
    };

    /// <summary>
    /// Whether a column of <paramref name="type"/> can be the label the predictions are compared with: Boolean for
    /// binary, a key of the predicted key's count for multiclass, a key vector for tagging, Single (or a vector of one)
    /// for regression, a vector of Single of the Score's size for multi-step regression, Boolean or Single (1 for an
    /// anomaly) for anomaly detection.
    /// </summary>
    public bool AcceptsLabel(DataViewType type) => Task switch
    {
        PredictionTask.BinaryClassification => type is BooleanDataViewType,
        PredictionTask.MulticlassClassification => type is KeyDataViewType key && key.Count == ((KeyDataViewType)PredictedLabel!.Value.Type).Count,
        PredictionTask.Tagging => type is VectorDataViewType { ItemType: KeyDataViewType },
        PredictionTask.Regression => type == NumberDataViewType.Single || type is VectorDataViewType { Size: 1 } one && one.ItemType == NumberDataViewType.Single,
        PredictionTask.AnomalyDetection => type is BooleanDataViewType || type == NumberDataViewType.Single,
        _ => type is VectorDataViewType vector && vector.ItemType == NumberDataViewType.Single && vector.Size == ((VectorDataViewType)Score.Type).Size,
    };
}
