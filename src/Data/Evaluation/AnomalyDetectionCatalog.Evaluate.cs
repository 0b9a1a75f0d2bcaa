namespace MLNetExt.Data;

public sealed partial class AnomalyDetectionCatalog
{
    /// <summary>
    /// Evaluates the scored output of an anomaly detector: the area under the ROC curve and the detection rate
    /// at <paramref name="falsePositiveCount"/> false positives.
    /// </summary>
    /// <param name="data">The scored data, with at least one anomaly and one normal row.</param>
    /// <param name="labelColumnName">The label column: Boolean (true = anomaly), or Single where values above 0 are anomalies; no NaN.</param>
    /// <param name="scoreColumnName">The anomaly score column: Single, finite; higher is more anomalous.</param>
    /// <param name="predictedLabelColumnName">
    /// The predicted label column: Boolean. It must be present, as in ML.NET, but the metrics use only the scores.
    /// </param>
    /// <param name="falsePositiveCount">The k of the detection rate at k false positives, at least 1.</param>
    /// <exception cref="ArgumentOutOfRangeException">A column is missing or has another type, or <paramref name="falsePositiveCount"/> is below 1.</exception>
    /// <exception cref="ArgumentException">A value is bad (the message names the column and row), there are no rows, or only one class occurs.</exception>
    public AnomalyDetectionMetrics Evaluate(IDataView data, string labelColumnName = "Label", string scoreColumnName = "Score",
        string predictedLabelColumnName = "PredictedLabel", int falsePositiveCount = 10)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentOutOfRangeException.ThrowIfLessThan(falsePositiveCount, 1);
        var label = EvaluationColumns.Require(data, labelColumnName, nameof(labelColumnName), "label",
            EvaluationColumns.IsBinaryLabel, "Boolean or Single");
        var score = EvaluationColumns.Require(data, scoreColumnName, nameof(scoreColumnName), "score", EvaluationColumns.IsSingle, "Single");
        EvaluationColumns.Require(data, predictedLabelColumnName, nameof(predictedLabelColumnName), "predicted label",
            type => type is BooleanDataViewType, "Boolean");
        var rows = LabeledScores.Read(data, label, score, probability: null);
        rows.RequireBothClasses(label, "anomaly");
        return new AnomalyDetectionMetrics(ScoreRanking.AreaUnderRocCurve(rows.Scores, rows.Labels),
            ScoreRanking.DetectionRateAtFalsePositiveCount(rows.Scores, rows.Labels, falsePositiveCount));
    }
}
