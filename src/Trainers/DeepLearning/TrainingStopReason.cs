namespace MLNetExt.Trainers.DeepLearning;

/// <summary>Why a <see cref="DeepTrainingLoop"/> run ended.</summary>
public enum TrainingStopReason
{
    /// <summary>Every epoch of <see cref="DeepTrainerOptions.NumberOfEpochs"/> ran.</summary>
    Completed = 0,

    /// <summary>The monitored loss did not improve for <see cref="DeepTrainerOptions.EarlyStoppingPatience"/> epochs.</summary>
    EarlyStopped = 1,

    /// <summary>The cancellation token was cancelled; the run stopped before the next batch.</summary>
    Canceled = 2,
}
