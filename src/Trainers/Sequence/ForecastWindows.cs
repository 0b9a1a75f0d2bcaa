namespace MLNetExt.Trainers.Sequence;

/// <summary>
/// Cuts a time series into the rows a <c>SequenceForecastingTrainer</c> trains on: each row holds
/// <c>windowSize</c> consecutive values as its features and the <c>horizon</c> values after them as its label.
/// </summary>
public static class ForecastWindows
{
    /// <summary>One training row: the past window and the values that follow it.</summary>
    /// <param name="Window">The <c>windowSize</c> past values, oldest first.</param>
    /// <param name="Next">The <c>horizon</c> following values.</param>
    public sealed record Row(float[] Window, float[] Next);

    /// <summary>
    /// Every window of <paramref name="windowSize"/> values followed by <paramref name="horizon"/> values, sliding by
    /// one: series.Length − windowSize − horizon + 1 rows, in time order.
    /// </summary>
    /// <param name="series">The series, oldest first; every value finite.</param>
    /// <param name="windowSize">The steps the model sees, at least 1.</param>
    /// <param name="horizon">The steps it predicts, at least 1.</param>
    /// <exception cref="ArgumentOutOfRangeException">A size is below 1, or the series is shorter than windowSize + horizon.</exception>
    /// <exception cref="ArgumentException">A value of the series is not finite.</exception>
    public static IReadOnlyList<Row> Create(ReadOnlySpan<float> series, int windowSize, int horizon = 1)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(windowSize, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(horizon, 1);
        if (series.Length < windowSize + horizon)
            throw new ArgumentOutOfRangeException(nameof(series), series.Length, $"The series has {series.Length} values; windows of {windowSize} plus a horizon of {horizon} need at least {windowSize + horizon}.");
        for (int i = 0; i < series.Length; i++)
        {
            if (!float.IsFinite(series[i]))
                throw new ArgumentException($"Value {i} of the series is {series[i]}; every value must be finite.", nameof(series));
        }
        var rows = new Row[series.Length - windowSize - horizon + 1];
        for (int start = 0; start < rows.Length; start++)
            rows[start] = new Row(series.Slice(start, windowSize).ToArray(), series.Slice(start + windowSize, horizon).ToArray());
        return rows;
    }
}
