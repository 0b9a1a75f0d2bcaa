namespace MLNetExt.Core.Schedules;

/// <summary>
/// Cosine annealing (<c>torch.optim.lr_scheduler.CosineAnnealingLR</c> in closed form):
/// η(t) = η_min + (η₀ − η_min)·(1 + cos(π t / T_max)) / 2. Past T_max the cosine continues, rising back to η₀ at
/// 2·T_max, as PyTorch's does.
/// </summary>
public sealed class CosineAnnealingLR : ILearningRateSchedule
{
    /// <summary>Creates the schedule.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="tMax"/> is less than 1 or <paramref name="etaMin"/> is negative or not finite.</exception>
    public CosineAnnealingLR(int tMax, double etaMin = 0)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(tMax, 1);
        ScheduleArguments.RequireNonNegative(etaMin, nameof(etaMin));
        TMax = tMax;
        EtaMin = etaMin;
    }

    /// <summary>T_max: the number of steps from η₀ down to η_min (half a period).</summary>
    public int TMax { get; }

    /// <summary>η_min: the lowest rate.</summary>
    public double EtaMin { get; }

    /// <inheritdoc />
    public double LearningRateAt(int step, double initialLearningRate)
    {
        ScheduleArguments.RequireStep(step);
        return EtaMin + (initialLearningRate - EtaMin) * (1 + Math.Cos(Math.PI * step / TMax)) / 2;
    }
}
