namespace MLNetExt.Trainers.DeepLearning;

/// <summary>What a <see cref="DeepTrainingLoop"/> run did.</summary>
/// <param name="StopReason">Why the run ended.</param>
/// <param name="EpochsCompleted">The epochs that ran to their end.</param>
/// <param name="BestEpoch">The epoch with the lowest monitored loss (whose weights the model holds when they were restored), or 0 when no epoch completed.</param>
/// <param name="BestLoss">The lowest monitored loss: validation loss when there are validation rows, otherwise the epoch's training loss; NaN when no epoch completed.</param>
/// <param name="ValidationRowCount">The rows held out for validation.</param>
/// <param name="TrainingRowCount">The rows trained on.</param>
/// <param name="Elapsed">How long the run took.</param>
public sealed record DeepTrainingResult(TrainingStopReason StopReason, int EpochsCompleted, int BestEpoch, double BestLoss,
    int ValidationRowCount, int TrainingRowCount, TimeSpan Elapsed);
