namespace MLNetExt.Trainers.DeepLearning;

/// <summary>
/// One progress report of a deep trainer, made through <see cref="DeepTrainerOptions.Progress"/>: after every epoch
/// (<see cref="IsEpochEnd"/> true, with the validation results) and, within an epoch, at most about every 0.2 s.
/// </summary>
public sealed record TrainingProgress
{
    /// <summary>The epoch in progress (or just finished), counting from 1.</summary>
    public required int Epoch { get; init; }

    /// <summary>The number of epochs asked for (<see cref="DeepTrainerOptions.NumberOfEpochs"/>).</summary>
    public required int TotalEpochs { get; init; }

    /// <summary>The batches of this epoch done so far, counting from 1.</summary>
    public required int Batch { get; init; }

    /// <summary>The number of batches in an epoch.</summary>
    public required int BatchesPerEpoch { get; init; }

    /// <summary>Whether this report closes an epoch (and so carries its validation results).</summary>
    public required bool IsEpochEnd { get; init; }

    /// <summary>The mean training loss over this epoch's batches so far.</summary>
    public required double TrainingLoss { get; init; }

    /// <summary>The loss on the held-out validation rows; null within an epoch or without validation rows.</summary>
    public double? ValidationLoss { get; init; }

    /// <summary>The validation metric (see <see cref="MetricName"/>); null within an epoch, without validation rows or without a metric.</summary>
    public double? ValidationMetric { get; init; }

    /// <summary>The name of <see cref="ValidationMetric"/>, e.g. "accuracy"; null without a metric.</summary>
    public string? MetricName { get; init; }

    /// <summary>The learning rate used by the last batch.</summary>
    public required double LearningRate { get; init; }

    /// <summary>The time since training started.</summary>
    public required TimeSpan Elapsed { get; init; }

    /// <summary>The time the remaining batches should take at the pace so far, assuming every epoch runs.</summary>
    public required TimeSpan EstimatedRemaining { get; init; }
}
