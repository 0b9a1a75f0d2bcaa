namespace MLNetExt.Data;

/// <summary>
/// The metrics that depend only on how scores rank the rows: the area under the ROC curve, the area under the
/// precision-recall curve and the detection rate at a number of false positives. Rows are walked from the highest
/// score down; rows with equal scores keep their order in the data (a stable sort, as ML.NET's evaluators).
/// </summary>
internal static class ScoreRanking
{
    /// <summary>
    /// The probability that a random positive row scores above a random negative one, a tie counting one half
    /// (the Mann-Whitney statistic, equal to scikit-learn's <c>roc_auc_score</c>):
    /// AUC = (sum over tie groups g of n_g * (positives above g + p_g / 2)) / (P * N),
    /// where p_g and n_g are the positives and negatives scoring exactly the group's score.
    /// </summary>
    /// <param name="scores">The scores, finite; higher means more positive.</param>
    /// <param name="labels">Whether each row is positive; both classes must occur.</param>
    public static double AreaUnderRocCurve(ReadOnlySpan<float> scores, ReadOnlySpan<bool> labels)
    {
        int[] order = DescendingOrder(scores);
        double pairs = 0;
        long positivesAbove = 0, negatives = 0;
        for (int start = 0; start < order.Length;)
        {
            float groupScore = scores[order[start]];
            long groupPositives = 0, groupNegatives = 0;
            int end = start;
            for (; end < order.Length && scores[order[end]] == groupScore; end++)
            {
                if (labels[order[end]])
                    groupPositives++;
                else
                    groupNegatives++;
            }
            pairs += groupNegatives * (positivesAbove + 0.5 * groupPositives);
            positivesAbove += groupPositives;
            negatives += groupNegatives;
            start = end;
        }
        return pairs / ((double)positivesAbove * negatives);
    }

    /// <summary>
    /// ML.NET's area under the precision-recall curve, the "lower trapezoid" estimate (Boyd et al., ECML 2013):
    /// walking rows from the highest score down, each positive adds
    /// (recall after it - recall before it) * (precision before it + precision after it) / 2,
    /// with precision 1 before the first row. Without tied scores this is the trapezoidal area under
    /// scikit-learn's <c>precision_recall_curve</c> (its <c>auc(recall, precision)</c>), not
    /// <c>average_precision_score</c>, which uses rectangles of height "precision after".
    /// </summary>
    /// <param name="scores">The scores, finite; higher means more positive.</param>
    /// <param name="labels">Whether each row is positive; at least one must be.</param>
    public static double AreaUnderPrecisionRecallCurve(ReadOnlySpan<float> scores, ReadOnlySpan<bool> labels)
    {
        int positives = 0;
        foreach (bool label in labels)
            positives += label ? 1 : 0;
        double area = 0, recallBefore = 0, precisionBefore = 1;
        int truePositives = 0, falsePositives = 0;
        foreach (int row in DescendingOrder(scores))
        {
            if (labels[row])
            {
                truePositives++;
                double recall = (double)truePositives / positives;
                double precision = (double)truePositives / (truePositives + falsePositives);
                area += (recall - recallBefore) * (precisionBefore + precision) / 2;
                recallBefore = recall;
                precisionBefore = precision;
            }
            else
            {
                falsePositives++;
                precisionBefore = (double)truePositives / (truePositives + falsePositives);
            }
        }
        return area;
    }

    /// <summary>
    /// The fraction of the positives (anomalies) found, walking rows from the highest score down, before the
    /// (<paramref name="falsePositiveCount"/> + 1)-th negative row.
    /// </summary>
    /// <param name="scores">The scores, finite; higher means more anomalous.</param>
    /// <param name="labels">Whether each row is an anomaly; at least one must be.</param>
    /// <param name="falsePositiveCount">How many negative rows may be passed, at least 1.</param>
    public static double DetectionRateAtFalsePositiveCount(ReadOnlySpan<float> scores, ReadOnlySpan<bool> labels, int falsePositiveCount)
    {
        int positives = 0;
        foreach (bool label in labels)
            positives += label ? 1 : 0;
        int truePositives = 0, falsePositives = 0;
        foreach (int row in DescendingOrder(scores))
        {
            if (labels[row])
                truePositives++;
            else if (++falsePositives > falsePositiveCount)
                break;
        }
        return (double)truePositives / positives;
    }

    /// <summary>The row indices by descending score, equal scores in row order.</summary>
    private static int[] DescendingOrder(ReadOnlySpan<float> scores)
    {
        var keys = scores.ToArray();
        int[] order = new int[keys.Length];
        for (int i = 0; i < order.Length; i++)
            order[i] = i;
        Array.Sort(order, (a, b) => keys[b] != keys[a] ? keys[b].CompareTo(keys[a]) : a.CompareTo(b));
        return order;
    }
}
