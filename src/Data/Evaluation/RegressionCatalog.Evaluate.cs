namespace MLNetExt.Data;

public sealed partial class RegressionCatalog
{
    /// <summary>
    /// Evaluates the scored output of a regression model: mean absolute and squared errors, their root, the
    /// mean loss (squared) and R².
    /// </summary>
    /// <param name="data">The scored data, at least one row.</param>
    /// <param name="labelColumnName">The label column: Single, no NaN or infinity.</param>
    /// <param name="scoreColumnName">The predicted value column: Single, finite.</param>
    /// <exception cref="ArgumentOutOfRangeException">A column is missing or has another type.</exception>
    /// <exception cref="ArgumentException">A value is not finite (the message names the column and row), or there are no rows.</exception>
    public RegressionMetrics Evaluate(IDataView data, string labelColumnName = "Label", string scoreColumnName = "Score")
    {
        ArgumentNullException.ThrowIfNull(data);
        var label = EvaluationColumns.Require(data, labelColumnName, nameof(labelColumnName), "label", EvaluationColumns.IsSingle, "Single");
        var score = EvaluationColumns.Require(data, scoreColumnName, nameof(scoreColumnName), "score", EvaluationColumns.IsSingle, "Single");
        using var cursor = data.GetRowCursor([label, score]);
        var readLabel = EvaluationColumns.CreateFiniteReader(cursor, label, "label");
        var readScore = EvaluationColumns.CreateFiniteReader(cursor, score, "score");
        // The labels' sum of squared deviations is kept by Welford's update, which stays accurate when the
        // labels' mean is large next to their spread.
        double rows = 0, absoluteErrors = 0, squaredErrors = 0, labelMean = 0, labelSquaredDeviations = 0;
        while (cursor.MoveNext())
        {
            double y = readLabel(), error = y - readScore();
            rows++;
            absoluteErrors += Math.Abs(error);
            squaredErrors += error * error;
            double deviation = y - labelMean;
            labelMean += deviation / rows;
            labelSquaredDeviations += deviation * (y - labelMean);
        }
        if (rows == 0)
            throw EvaluationColumns.NoRows();
        return new RegressionMetrics(absoluteErrors / rows, squaredErrors / rows, labelSquaredDeviations, rows);
    }
}
