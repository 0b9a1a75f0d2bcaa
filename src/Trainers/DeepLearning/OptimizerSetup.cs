using MLNetExt.Core;
using MLNetExt.Core.Optim;
using MLNetExt.Core.Schedules;

namespace MLNetExt.Trainers.DeepLearning;

/// <summary>
/// The optimizer and learning-rate schedule that <see cref="DeepTrainerOptions"/> describe, built one way for every
/// training loop: call <see cref="EndOfEpoch"/> after each epoch with the monitored loss.
/// </summary>
internal sealed class OptimizerSetup
{
    private readonly LearningRateScheduler? _scheduler;
    private readonly ReduceLROnPlateau? _plateau;

    public OptimizerSetup(DeepTrainerOptions options, IEnumerable<Tensor> parameters)
    {
        Optimizer = options.Optimizer switch
        {
            DeepOptimizer.AdamW => new AdamW(parameters, options.LearningRate, weightDecay: options.WeightDecay),
            DeepOptimizer.Sgd => new Sgd(parameters, options.LearningRate, options.Momentum, weightDecay: options.WeightDecay),
            _ => new Adam(parameters, options.LearningRate, weightDecay: options.WeightDecay),
        };
        ILearningRateSchedule? schedule = options.LearningRateSchedule switch
        {
            LearningRateSchedule.Step => new StepLR(options.LearningRateStepSize, options.LearningRateDecay),
            LearningRateSchedule.Exponential => new ExponentialLR(options.LearningRateDecay),
            LearningRateSchedule.Cosine => new CosineAnnealingLR(options.NumberOfEpochs),
            _ => null,
        };
        _scheduler = schedule is null ? null : new LearningRateScheduler(Optimizer, schedule);
        _plateau = options.LearningRateSchedule == LearningRateSchedule.ReduceOnPlateau
            ? new ReduceLROnPlateau(Optimizer, factor: options.LearningRateDecay, patience: options.LearningRateStepSize)
            : null;
    }

    /// <summary>The update rule over the parameters.</summary>
    public Optimizer Optimizer { get; }

    /// <summary>Advances the schedule after an epoch whose monitored loss was <paramref name="monitoredLoss"/>.</summary>
    public void EndOfEpoch(double monitoredLoss)
    {
        _scheduler?.Step();
        _plateau?.Step(monitoredLoss);
    }
}
