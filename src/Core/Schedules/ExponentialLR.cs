namespace MLNetExt.Core.Schedules;

/// <summary>
/// Exponential decay: η(t) = η₀ · γ^(t / s). With decay steps s = 1 this is
/// <c>torch.optim.lr_scheduler.ExponentialLR</c>; <see cref="TenfoldEvery"/> gives the course's η₀ · 0.1^(t/s).
/// </summary>
public sealed class ExponentialLR : ILearningRateSchedule
{
    /// <summary>Creates the schedule.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="gamma"/> is negative or <paramref name="decaySteps"/> is not positive.</exception>
    public ExponentialLR(double gamma, double decaySteps = 1)
    {
        ScheduleArguments.RequireNonNegative(gamma, nameof(gamma));
        ScheduleArguments.RequirePositive(decaySteps, nameof(decaySteps));
        Gamma = gamma;
        DecaySteps = decaySteps;
    }

    /// <summary>The decay γ applied every <see cref="DecaySteps"/> steps (continuously in between).</summary>
    public double Gamma { get; }

    /// <summary>The number of steps s over which the rate is multiplied by γ.</summary>
    public double DecaySteps { get; }

    /// <summary>The course's form η₀ · 0.1^(t/s): the rate falls tenfold every <paramref name="steps"/> steps.</summary>
    public static ExponentialLR TenfoldEvery(double steps) => new(0.1, steps);

    /// <inheritdoc />
    public double LearningRateAt(int step, double initialLearningRate)
    {
        ScheduleArguments.RequireStep(step);
        return initialLearningRate * Math.Pow(Gamma, step / DecaySteps);
    }
}
