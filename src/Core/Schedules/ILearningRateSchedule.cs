namespace MLNetExt.Core.Schedules;

/// <summary>
/// A learning-rate schedule in closed form: the rate at step (or epoch) t as a function of the initial rate η₀.
/// A <see cref="LearningRateScheduler"/> applies it to an optimizer.
/// </summary>
public interface ILearningRateSchedule
{
    /// <summary>The learning rate at <paramref name="step"/> (0 is the start) for initial rate <paramref name="initialLearningRate"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="step"/> is negative.</exception>
    double LearningRateAt(int step, double initialLearningRate);
}
