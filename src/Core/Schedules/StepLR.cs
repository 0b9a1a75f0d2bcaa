namespace MLNetExt.Core.Schedules;

/// <summary>Step decay (<c>torch.optim.lr_scheduler.StepLR</c>): η(t) = η₀ · γ^⌊t / stepSize⌋.</summary>
public sealed class StepLR : ILearningRateSchedule
{
    /// <summary>Creates the schedule.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="stepSize"/> is less than 1 or <paramref name="gamma"/> is negative or not finite.</exception>
    public StepLR(int stepSize, double gamma = 0.1)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(stepSize, 1);
        ScheduleArguments.RequireNonNegative(gamma, nameof(gamma));
        StepSize = stepSize;
        Gamma = gamma;
    }

    /// <summary>The number of steps between decays.</summary>
    public int StepSize { get; }

    /// <summary>The multiplicative decay γ.</summary>
    public double Gamma { get; }

    /// <inheritdoc />
    public double LearningRateAt(int step, double initialLearningRate)
    {
        ScheduleArguments.RequireStep(step);
        return initialLearningRate * Math.Pow(Gamma, step / StepSize);
    }
}
