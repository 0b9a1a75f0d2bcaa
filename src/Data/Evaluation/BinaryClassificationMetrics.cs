namespace MLNetExt.Data;

/// <summary>
/// How well a binary classifier's scores match the labels, as ML.NET's <c>BinaryClassificationMetrics</c>; made
/// by <see cref="BinaryClassificationCatalog.EvaluateNonCalibrated"/>.
/// </summary>
/// <remarks>
/// A row is predicted positive when its score is above 0 (ML.NET's default raw-score threshold). With TP, FP,
/// TN, FN the counts of true and false positive and negative predictions, see each property for its formula.
/// A ratio whose denominator is 0 is reported as 0, except <see cref="F1Score"/>, which is then NaN as in ML.NET.
/// </remarks>
public class BinaryClassificationMetrics
{
    internal BinaryClassificationMetrics(ConfusionMatrix confusionMatrix, double areaUnderRocCurve, double areaUnderPrecisionRecallCurve)
    {
        ConfusionMatrix = confusionMatrix;
        AreaUnderRocCurve = areaUnderRocCurve;
        AreaUnderPrecisionRecallCurve = areaUnderPrecisionRecallCurve;
        var counts = confusionMatrix.Counts;
        double correct = counts[0][0] + counts[1][1];
        Accuracy = correct / (correct + counts[0][1] + counts[1][0]);
        PositivePrecision = confusionMatrix.PerClassPrecision[0];
        PositiveRecall = confusionMatrix.PerClassRecall[0];
        NegativePrecision = confusionMatrix.PerClassPrecision[1];
        NegativeRecall = confusionMatrix.PerClassRecall[1];
        F1Score = 2 * PositivePrecision * PositiveRecall / (PositivePrecision + PositiveRecall);
    }

    /// <summary>
    /// The area under the ROC curve: the probability that a random positive row scores above a random negative
    /// one, ties counting one half (equal to scikit-learn's <c>roc_auc_score</c>). In [0, 1]; 0.5 is chance.
    /// </summary>
    public double AreaUnderRocCurve { get; }

    /// <summary>The fraction of rows predicted correctly: (TP + TN) / (TP + TN + FP + FN).</summary>
    public double Accuracy { get; }

    /// <summary>Of the rows predicted positive, the fraction that are: TP / (TP + FP).</summary>
    public double PositivePrecision { get; }

    /// <summary>Of the positive rows, the fraction predicted positive: TP / (TP + FN).</summary>
    public double PositiveRecall { get; }

    /// <summary>Of the rows predicted negative, the fraction that are: TN / (TN + FN).</summary>
    public double NegativePrecision { get; }

    /// <summary>Of the negative rows, the fraction predicted negative: TN / (TN + FP).</summary>
    public double NegativeRecall { get; }

    /// <summary>
    /// The harmonic mean of <see cref="PositivePrecision"/> P and <see cref="PositiveRecall"/> R: 2PR / (P + R);
    /// NaN when both are 0.
    /// </summary>
    public double F1Score { get; }

    /// <summary>
    /// The area under the precision-recall curve, by ML.NET's "lower trapezoid" estimate: walking rows from the
    /// highest score down (equal scores in row order), each positive adds
    /// (recall after - recall before) * (precision before + precision after) / 2, precision being 1 before the
    /// first row. Without tied scores this equals the trapezoidal area under scikit-learn's
    /// <c>precision_recall_curve</c>; it is not <c>average_precision_score</c>.
    /// </summary>
    public double AreaUnderPrecisionRecallCurve { get; }

    /// <summary>The confusion matrix, classes in the order positive, negative.</summary>
    public ConfusionMatrix ConfusionMatrix { get; }
}
