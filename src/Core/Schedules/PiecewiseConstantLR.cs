namespace MLNetExt.Core.Schedules;

/// <summary>
/// Piecewise-constant rates: <c>values[0]</c> for t &lt; <c>boundaries[0]</c>, <c>values[i]</c> for
/// <c>boundaries[i−1]</c> ≤ t &lt; <c>boundaries[i]</c>, and the last value from the last boundary on. The values are
/// absolute rates, so the optimizer's initial rate is not used.
/// </summary>
public sealed class PiecewiseConstantLR : ILearningRateSchedule
{
    private readonly int[] _boundaries;
    private readonly double[] _values;

    /// <summary>Creates the schedule.</summary>
    /// <exception cref="ArgumentException"><paramref name="values"/> does not hold exactly one more element than <paramref name="boundaries"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The boundaries are not positive and strictly increasing, or a value is negative or not finite.</exception>
    public PiecewiseConstantLR(IReadOnlyList<int> boundaries, IReadOnlyList<double> values)
    {
        ArgumentNullException.ThrowIfNull(boundaries);
        ArgumentNullException.ThrowIfNull(values);
        if (values.Count != boundaries.Count + 1)
            throw new ArgumentException($"{boundaries.Count} boundaries need {boundaries.Count + 1} values but {values.Count} were given.", nameof(values));
        for (int i = 0; i < boundaries.Count; i++)
            if (boundaries[i] <= (i == 0 ? 0 : boundaries[i - 1]))
                throw new ArgumentOutOfRangeException(nameof(boundaries), boundaries[i], $"Boundary {i} must be positive and greater than the previous one.");
        for (int i = 0; i < values.Count; i++)
            ScheduleArguments.RequireNonNegative(values[i], nameof(values));
        _boundaries = boundaries.ToArray();
        _values = values.ToArray();
    }

    /// <summary>The steps at which the rate changes.</summary>
    public IReadOnlyList<int> Boundaries => _boundaries;

    /// <summary>The rate in each interval.</summary>
    public IReadOnlyList<double> Values => _values;

    /// <inheritdoc />
    public double LearningRateAt(int step, double initialLearningRate)
    {
        ScheduleArguments.RequireStep(step);
        int interval = 0;
        while (interval < _boundaries.Length && step >= _boundaries[interval]) interval++;
        return _values[interval];
    }
}
