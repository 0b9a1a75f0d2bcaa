namespace MLNetExt.Data;

public sealed partial class BinaryClassificationCatalog
{
    /// <summary>
    /// Evaluates the scored output of a calibrated binary classifier: the ranking and counting metrics of
    /// <see cref="EvaluateNonCalibrated"/> plus the log-loss metrics (in bits) computed from the probability column.
    /// </summary>
    /// <param name="data">The scored data, with at least one positive and one negative row.</param>
    /// <param name="labelColumnName">The label column: Boolean, or Single where values above 0 are positive; no NaN.</param>
    /// <param name="scoreColumnName">The raw score column: Single, finite; a row is predicted positive when its score is above 0.</param>
    /// <param name="probabilityColumnName">The probability-of-positive column: Single, in [0, 1].</param>
    /// <param name="predictedLabelColumnName">
    /// The predicted label column: Boolean. It must be present, as in ML.NET, but the metrics use the score threshold.
    /// </param>
    /// <exception cref="ArgumentOutOfRangeException">A column is missing or has another type.</exception>
    /// <exception cref="ArgumentException">A value is bad (the message names the column and row), there are no rows, or only one class occurs.</exception>
    public CalibratedBinaryClassificationMetrics Evaluate(IDataView data, string labelColumnName = "Label", string scoreColumnName = "Score",
        string probabilityColumnName = "Probability", string predictedLabelColumnName = "PredictedLabel")
    {
        ArgumentNullException.ThrowIfNull(data);
        var (label, score) = RequireColumns(data, labelColumnName, scoreColumnName, predictedLabelColumnName);
        var probability = EvaluationColumns.Require(data, probabilityColumnName, nameof(probabilityColumnName), "probability",
            EvaluationColumns.IsSingle, "Single");
        var rows = LabeledScores.Read(data, label, score, probability);
        rows.RequireBothClasses(label, "positive");
        double positiveRate = (double)rows.Positives / rows.Count;
        double entropy = -(positiveRate * Math.Log2(positiveRate) + (1 - positiveRate) * Math.Log2(1 - positiveRate));
        return new CalibratedBinaryClassificationMetrics(CountOutcomes(rows), ScoreRanking.AreaUnderRocCurve(rows.Scores, rows.Labels),
            ScoreRanking.AreaUnderPrecisionRecallCurve(rows.Scores, rows.Labels), rows.LogLossBitsSum / rows.Count, entropy);
    }

    /// <summary>
    /// Evaluates the scored output of a binary classifier without probabilities: AUC, AUPRC, accuracy,
    /// precision, recall and F1, with a row predicted positive when its score is above 0.
    /// </summary>
    /// <param name="data">The scored data, with at least one positive and one negative row.</param>
    /// <param name="labelColumnName">The label column: Boolean, or Single where values above 0 are positive; no NaN.</param>
    /// <param name="scoreColumnName">The raw score column: Single, finite.</param>
    /// <param name="predictedLabelColumnName">
    /// The predicted label column: Boolean. It must be present, as in ML.NET, but the metrics use the score threshold.
    /// </param>
    /// <exception cref="ArgumentOutOfRangeException">A column is missing or has another type.</exception>
    /// <exception cref="ArgumentException">A value is bad (the message names the column and row), there are no rows, or only one class occurs.</exception>
    public BinaryClassificationMetrics EvaluateNonCalibrated(IDataView data, string labelColumnName = "Label", string scoreColumnName = "Score",
        string predictedLabelColumnName = "PredictedLabel")
    {
        ArgumentNullException.ThrowIfNull(data);
        var (label, score) = RequireColumns(data, labelColumnName, scoreColumnName, predictedLabelColumnName);
        var rows = LabeledScores.Read(data, label, score, probability: null);
        rows.RequireBothClasses(label, "positive");
        return new BinaryClassificationMetrics(CountOutcomes(rows), ScoreRanking.AreaUnderRocCurve(rows.Scores, rows.Labels),
            ScoreRanking.AreaUnderPrecisionRecallCurve(rows.Scores, rows.Labels));
    }

    private static (DataViewSchema.Column Label, DataViewSchema.Column Score) RequireColumns(IDataView data, string labelColumnName,
        string scoreColumnName, string predictedLabelColumnName)
    {
        var label = EvaluationColumns.Require(data, labelColumnName, nameof(labelColumnName), "label",
            EvaluationColumns.IsBinaryLabel, "Boolean or Single");
        var score = EvaluationColumns.Require(data, scoreColumnName, nameof(scoreColumnName), "score", EvaluationColumns.IsSingle, "Single");
        EvaluationColumns.Require(data, predictedLabelColumnName, nameof(predictedLabelColumnName), "predicted label",
            type => type is BooleanDataViewType, "Boolean");
        return (label, score);
    }

    /// <summary>The confusion matrix [[TP, FN], [FP, TN]] for the prediction "score above 0".</summary>
    private static ConfusionMatrix CountOutcomes(LabeledScores rows)
    {
        double[][] counts = [new double[2], new double[2]];
        var scores = rows.Scores;
        var labels = rows.Labels;
        for (int i = 0; i < rows.Count; i++)
            counts[labels[i] ? 0 : 1][scores[i] > 0 ? 0 : 1]++;
        return new ConfusionMatrix(counts, ["positive", "negative"], isBinary: true);
    }
}
