namespace MLNetExt.Data;

/// <summary>
/// How well a multiclass classifier's per-class probabilities match the labels, as ML.NET's
/// <c>MulticlassClassificationMetrics</c>; made by <see cref="MulticlassClassificationCatalog.Evaluate"/>.
/// </summary>
/// <remarks>
/// The predicted class of a row is the one with the highest score, the lowest index winning a tie. The rank of the
/// true class is the number of classes scoring above it plus those scoring the same with a lower index (0 when
/// the prediction is right). Log-losses are in nats (natural logarithms), unlike the binary log-loss, which is in
/// bits; a probability is clipped to [1e-15, 1] before its logarithm is taken. A label key beyond the score
/// vector (a class the model does not know) counts as a wrong prediction with log-loss -ln(1e-15) and is left out
/// of the per-class figures and the confusion matrix, as in ML.NET.
/// </remarks>
public sealed class MulticlassClassificationMetrics
{
    internal MulticlassClassificationMetrics(double microAccuracy, double macroAccuracy, double logLoss, double logLossReduction,
        int topKPredictionCount, double[]? topKAccuracyForAllK, double[] perClassLogLoss, ConfusionMatrix confusionMatrix)
    {
        MicroAccuracy = microAccuracy;
        MacroAccuracy = macroAccuracy;
        LogLoss = logLoss;
        LogLossReduction = logLossReduction;
        TopKPredictionCount = topKPredictionCount;
        TopKAccuracyForAllK = topKAccuracyForAllK;
        PerClassLogLoss = perClassLogLoss;
        ConfusionMatrix = confusionMatrix;
    }

    /// <summary>The fraction of rows whose predicted class is the true one (scikit-learn's <c>accuracy_score</c>).</summary>
    public double MicroAccuracy { get; }

    /// <summary>
    /// The mean over the classes that occur in the labels of the fraction of each class's rows predicted
    /// correctly, i.e. the mean per-class recall (scikit-learn's <c>balanced_accuracy_score</c>); each class
    /// weighs the same however many rows it has.
    /// </summary>
    public double MacroAccuracy { get; }

    /// <summary>The mean log-loss in nats: -(1/m) * sum over rows of ln(p_i), p_i being the score of the row's true class.</summary>
    public double LogLoss { get; }

    /// <summary>
    /// The relative improvement over always predicting the label frequencies of the test set:
    /// (H - <see cref="LogLoss"/>) / H, with H = -sum over classes c of q_c ln q_c the labels' entropy in nats.
    /// At most 1 (perfect); 0 is no better than the prior.
    /// </summary>
    public double LogLossReduction { get; }

    /// <summary>The K of <see cref="TopKAccuracy"/>; 0 when top-K accuracy was not asked for.</summary>
    public int TopKPredictionCount { get; }

    /// <summary>
    /// The fraction of rows whose true class is among the <see cref="TopKPredictionCount"/> best-scored
    /// (its rank, see the remarks, is below K); 0 when <see cref="TopKPredictionCount"/> is 0.
    /// </summary>
    public double TopKAccuracy => TopKAccuracyForAllK is { Count: > 0 } all ? all[^1] : 0;

    /// <summary>
    /// The top-k accuracy for every k from 1 to <see cref="TopKPredictionCount"/> (item k - 1 is top-k);
    /// null when <see cref="TopKPredictionCount"/> is 0.
    /// </summary>
    public IReadOnlyList<double>? TopKAccuracyForAllK { get; }

    /// <summary>For each class, the mean log-loss in nats over the rows of that class; 0 for a class that does not occur.</summary>
    public IReadOnlyList<double> PerClassLogLoss { get; }

    /// <summary>The confusion matrix; class i is label key i + 1.</summary>
    public ConfusionMatrix ConfusionMatrix { get; }
}
