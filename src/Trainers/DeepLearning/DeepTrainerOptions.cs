namespace MLNetExt.Trainers.DeepLearning;

/// <summary>
/// The settings every deep trainer shares: batching, epochs, optimizer, learning-rate schedule, gradient clipping,
/// validation hold-out, early stopping, seed, progress reporting and cancellation. A trainer's own <c>Options</c>
/// class derives from this one. Options are checked when the trainer is created (an <see cref="ArgumentException"/>
/// naming the option) and copied, so changing them afterwards does not change the trainer; they are never written to.
/// </summary>
public abstract class DeepTrainerOptions
{
    /// <summary>The rows per gradient step; at least 1. A last batch of a single row is skipped when there are other batches (batch normalization cannot train on one row).</summary>
    public int BatchSize { get; set; } = 32;

    /// <summary>The most passes over the training rows; at least 1.</summary>
    public int NumberOfEpochs { get; set; } = 100;

    /// <summary>The initial learning rate η; finite and greater than 0.</summary>
    public double LearningRate { get; set; } = 0.001;

    /// <summary>The update rule; Adam by default.</summary>
    public DeepOptimizer Optimizer { get; set; } = DeepOptimizer.Adam;

    /// <summary>The momentum of <see cref="DeepOptimizer.Sgd"/>, in [0, 1); ignored by the other optimizers.</summary>
    public double Momentum { get; set; } = 0.9;

    /// <summary>The weight decay λ, finite and at least 0: L2 decay for Adam and SGD, decoupled decay for AdamW.</summary>
    public double WeightDecay { get; set; }

    /// <summary>How the learning rate changes from epoch to epoch; constant by default.</summary>
    public LearningRateSchedule LearningRateSchedule { get; set; } = LearningRateSchedule.None;

    /// <summary>The epochs between two decays of <see cref="LearningRateSchedule.Step"/>, and the patience of <see cref="LearningRateSchedule.ReduceOnPlateau"/>; at least 1.</summary>
    public int LearningRateStepSize { get; set; } = 10;

    /// <summary>The factor by which the step, exponential and plateau schedules multiply the learning rate, in (0, 1).</summary>
    public double LearningRateDecay { get; set; } = 0.5;

    /// <summary>The most the gradients' total L2 norm may be after clipping; 0 (the default) does not clip; otherwise finite and greater than 0.</summary>
    public double GradientClipNorm { get; set; }

    /// <summary>
    /// The fraction of rows held out (chosen with <see cref="Seed"/>) to validate on after each epoch, in [0, 1). When
    /// it is 0, or so small that no row is held out, the epoch's training loss is monitored instead.
    /// </summary>
    public double ValidationFraction { get; set; } = 0.1;

    /// <summary>
    /// The epochs without improvement of the monitored loss after which training stops and the weights of the best
    /// epoch are restored; at least 0, and 0 turns early stopping off (the last epoch's weights are kept).
    /// </summary>
    public int EarlyStoppingPatience { get; set; } = 10;

    /// <summary>The seed of initialization, hold-out and shuffling; null takes the next seed of the <c>MLContext</c>.</summary>
    public int? Seed { get; set; }

    /// <summary>
    /// Receives a <see cref="TrainingProgress"/> after every epoch and, within an epoch, at most about every 0.2 s.
    /// Reports are made synchronously on the training thread, so a slow receiver slows training; null reports nothing.
    /// </summary>
    public IProgress<TrainingProgress>? Progress { get; set; }

    /// <summary>
    /// Stops training before the next batch once cancelled. <c>Fit</c> then throws a <c>TrainingCanceledException</c>
    /// whose <c>TrainingCanceledException.PartialModel</c> holds the best weights so far.
    /// </summary>
    public CancellationToken CancellationToken { get; set; }

    /// <summary>Checks every setting, naming the first bad one.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A setting is outside its range; the parameter name is the option's name.</exception>
    internal virtual void Validate()
    {
        if (BatchSize < 1)
            throw Bad(nameof(BatchSize), BatchSize, "must be at least 1");
        if (NumberOfEpochs < 1)
            throw Bad(nameof(NumberOfEpochs), NumberOfEpochs, "must be at least 1");
        if (!double.IsFinite(LearningRate) || LearningRate <= 0)
            throw Bad(nameof(LearningRate), LearningRate, "must be a finite number greater than 0");
        if (!Enum.IsDefined(Optimizer))
            throw Bad(nameof(Optimizer), Optimizer, "must be Adam, AdamW or Sgd");
        if (!(Momentum >= 0 && Momentum < 1))
            throw Bad(nameof(Momentum), Momentum, "must lie in [0, 1)");
        if (!double.IsFinite(WeightDecay) || WeightDecay < 0)
            throw Bad(nameof(WeightDecay), WeightDecay, "must be a finite number of at least 0");
        if (!Enum.IsDefined(LearningRateSchedule))
            throw Bad(nameof(LearningRateSchedule), LearningRateSchedule, "must be None, Step, Exponential, Cosine or ReduceOnPlateau");
        if (LearningRateStepSize < 1)
            throw Bad(nameof(LearningRateStepSize), LearningRateStepSize, "must be at least 1");
        if (!(LearningRateDecay > 0 && LearningRateDecay < 1))
            throw Bad(nameof(LearningRateDecay), LearningRateDecay, "must lie in (0, 1)");
        if (!double.IsFinite(GradientClipNorm) || GradientClipNorm < 0)
            throw Bad(nameof(GradientClipNorm), GradientClipNorm, "must be 0 (no clipping) or a finite number greater than 0");
        if (!(ValidationFraction >= 0 && ValidationFraction < 1))
            throw Bad(nameof(ValidationFraction), ValidationFraction, "must lie in [0, 1)");
        if (EarlyStoppingPatience < 0)
            throw Bad(nameof(EarlyStoppingPatience), EarlyStoppingPatience, "must be at least 0 (0 turns early stopping off)");
    }

    /// <summary>The error for a bad option: names it, shows its value and states the valid range.</summary>
    private protected static ArgumentOutOfRangeException Bad(string option, object? value, string rule) =>
        new(option, value, $"Option {option} {rule}.");

    /// <summary>A shallow copy of these options (a derived class copies its own arrays after calling this).</summary>
    private protected DeepTrainerOptions CopyShallow() => (DeepTrainerOptions)MemberwiseClone();
}
