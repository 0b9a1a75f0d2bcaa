namespace MLNetExt.Data;

/// <summary>
/// How close a regression model's scores are to the labels, as ML.NET's <c>RegressionMetrics</c>; made by
/// <see cref="RegressionCatalog.Evaluate"/>. In the formulas, y_i are the labels, s_i the scores and m the number of rows.
/// </summary>
public sealed class RegressionMetrics
{
    internal RegressionMetrics(double meanAbsoluteError, double meanSquaredError, double labelSumOfSquaredDeviations, double rows)
    {
        MeanAbsoluteError = meanAbsoluteError;
        MeanSquaredError = meanSquaredError;
        RootMeanSquaredError = Math.Sqrt(meanSquaredError);
        LossFunction = meanSquaredError;
        RSquared = 1 - meanSquaredError * rows / labelSumOfSquaredDeviations;
    }

    /// <summary>The mean absolute error (L1): (1/m) * sum |y_i - s_i|.</summary>
    public double MeanAbsoluteError { get; }

    /// <summary>The mean squared error (L2): (1/m) * sum (y_i - s_i)^2.</summary>
    public double MeanSquaredError { get; }

    /// <summary>The square root of <see cref="MeanSquaredError"/>, in the label's units.</summary>
    public double RootMeanSquaredError { get; }

    /// <summary>
    /// The mean of the loss function over the rows; the loss is ML.NET's default squared loss (s - y)^2, so this
    /// equals <see cref="MeanSquaredError"/>.
    /// </summary>
    public double LossFunction { get; }

    /// <summary>
    /// The coefficient of determination: 1 - sum (y_i - s_i)^2 / sum (y_i - mean y)^2 (scikit-learn's
    /// <c>r2_score</c>). At most 1; 0 is no better than predicting the mean label; negative is worse. Not finite
    /// when every label is the same.
    /// </summary>
    public double RSquared { get; }
}
