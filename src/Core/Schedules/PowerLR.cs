namespace MLNetExt.Core.Schedules;

/// <summary>Power scheduling: η(t) = η₀ / (1 + t/k)^c (c is usually 1).</summary>
public sealed class PowerLR : ILearningRateSchedule
{
    /// <summary>Creates the schedule.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="k"/> is not positive or <paramref name="c"/> is negative.</exception>
    public PowerLR(double k, double c = 1)
    {
        ScheduleArguments.RequirePositive(k, nameof(k));
        ScheduleArguments.RequireNonNegative(c, nameof(c));
        K = k;
        C = c;
    }

    /// <summary>The step scale k: after k steps the rate has fallen by 2^c.</summary>
    public double K { get; }

    /// <summary>The power c.</summary>
    public double C { get; }

    /// <inheritdoc />
    public double LearningRateAt(int step, double initialLearningRate)
    {
        ScheduleArguments.RequireStep(step);
        return initialLearningRate / Math.Pow(1 + step / K, C);
    }
}
