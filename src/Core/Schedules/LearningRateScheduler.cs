using MLNetExt.Core.Optim;

namespace MLNetExt.Core.Schedules;

/// <summary>
/// Drives an optimizer's <see cref="Optimizer.LearningRate"/> with a schedule, as PyTorch's <c>LRScheduler</c>:
/// construction records η₀ (the optimizer's current rate) and sets step 0's rate; each <see cref="Step"/> (call it
/// after <see cref="Optimizer.Step"/>, once per epoch or per batch) advances t and sets the rate for step t.
/// </summary>
public sealed class LearningRateScheduler
{
    /// <summary>Binds <paramref name="schedule"/> to <paramref name="optimizer"/> and applies step 0's rate.</summary>
    public LearningRateScheduler(Optimizer optimizer, ILearningRateSchedule schedule)
    {
        ArgumentNullException.ThrowIfNull(optimizer);
        ArgumentNullException.ThrowIfNull(schedule);
        Optimizer = optimizer;
        Schedule = schedule;
        InitialLearningRate = optimizer.LearningRate;
        optimizer.LearningRate = schedule.LearningRateAt(0, InitialLearningRate);
    }

    /// <summary>The optimizer whose rate is set.</summary>
    public Optimizer Optimizer { get; }

    /// <summary>The schedule applied.</summary>
    public ILearningRateSchedule Schedule { get; }

    /// <summary>η₀: the optimizer's rate when the scheduler was created.</summary>
    public double InitialLearningRate { get; }

    /// <summary>The current step t (PyTorch's <c>last_epoch</c>); 0 after construction.</summary>
    public int CurrentStep { get; private set; }

    /// <summary>The rate currently set on the optimizer.</summary>
    public double LearningRate => Optimizer.LearningRate;

    /// <summary>Advances to the next step and sets its rate on the optimizer.</summary>
    public void Step()
    {
        CurrentStep++;
        Optimizer.LearningRate = Schedule.LearningRateAt(CurrentStep, InitialLearningRate);
    }
}
