namespace MLNetExt.Data;

/// <summary>
/// The metrics of a binary classifier that also outputs a probability, as ML.NET's
/// <c>CalibratedBinaryClassificationMetrics</c>: the ranking and counting metrics of
/// <see cref="BinaryClassificationMetrics"/> plus the log-loss metrics; made by <see cref="BinaryClassificationCatalog.Evaluate"/>.
/// </summary>
/// <remarks>
/// As in ML.NET, the log-losses here are in bits (base-2 logarithms), unlike the multiclass log-loss, which is in
/// nats: <see cref="LogLoss"/> = scikit-learn's <c>log_loss</c> / ln 2. Probabilities are not clipped, so a
/// probability of exactly 0 for a positive row (or 1 for a negative one) makes <see cref="LogLoss"/> infinite.
/// </remarks>
public sealed class CalibratedBinaryClassificationMetrics : BinaryClassificationMetrics
{
    internal CalibratedBinaryClassificationMetrics(ConfusionMatrix confusionMatrix, double areaUnderRocCurve,
        double areaUnderPrecisionRecallCurve, double logLoss, double entropy)
        : base(confusionMatrix, areaUnderRocCurve, areaUnderPrecisionRecallCurve)
    {
        LogLoss = logLoss;
        Entropy = entropy;
        LogLossReduction = (entropy - logLoss) / entropy;
    }

    /// <summary>
    /// The mean log-loss in bits: -(1/m) * sum over rows of log2(p_i), where p_i is the predicted probability
    /// for a positive row and 1 - probability for a negative one. 0 for a perfect model.
    /// </summary>
    public double LogLoss { get; }

    /// <summary>
    /// The relative improvement over always predicting the test set's positive rate:
    /// (<see cref="Entropy"/> - <see cref="LogLoss"/>) / <see cref="Entropy"/>. At most 1 (perfect); 0 is no
    /// better than the prior; negative is worse.
    /// </summary>
    public double LogLossReduction { get; }

    /// <summary>
    /// The log-loss in bits of always predicting the positive rate q of the test set, its entropy:
    /// -q log2 q - (1 - q) log2 (1 - q).
    /// </summary>
    public double Entropy { get; }
}
