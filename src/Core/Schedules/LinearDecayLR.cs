namespace MLNetExt.Core.Schedules;

/// <summary>
/// Linear decay to a final rate: ηₖ = (1 − α)η₀ + αη_T with α = k/T, and η_T from step T on
/// (<c>torch.optim.lr_scheduler.LinearLR</c> with start factor 1 and end factor η_T/η₀).
/// </summary>
public sealed class LinearDecayLR : ILearningRateSchedule
{
    /// <summary>Creates the schedule.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="totalSteps"/> is less than 1 or <paramref name="finalLearningRate"/> is negative or not finite.</exception>
    public LinearDecayLR(int totalSteps, double finalLearningRate)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(totalSteps, 1);
        ScheduleArguments.RequireNonNegative(finalLearningRate, nameof(finalLearningRate));
        TotalSteps = totalSteps;
        FinalLearningRate = finalLearningRate;
    }

    /// <summary>T: the step at which the final rate is reached.</summary>
    public int TotalSteps { get; }

    /// <summary>η_T: the rate from step T on.</summary>
    public double FinalLearningRate { get; }

    /// <inheritdoc />
    public double LearningRateAt(int step, double initialLearningRate)
    {
        ScheduleArguments.RequireStep(step);
        if (step >= TotalSteps) return FinalLearningRate;
        double alpha = (double)step / TotalSteps;
        return (1 - alpha) * initialLearningRate + alpha * FinalLearningRate;
    }
}
