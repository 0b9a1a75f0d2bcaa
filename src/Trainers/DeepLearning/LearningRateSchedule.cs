namespace MLNetExt.Trainers.DeepLearning;

/// <summary>How a deep trainer changes the learning rate η from epoch to epoch (see <see cref="DeepTrainerOptions.LearningRateSchedule"/>).</summary>
public enum LearningRateSchedule
{
    /// <summary>η stays at <see cref="DeepTrainerOptions.LearningRate"/>.</summary>
    None = 0,

    /// <summary>η is multiplied by <see cref="DeepTrainerOptions.LearningRateDecay"/> every <see cref="DeepTrainerOptions.LearningRateStepSize"/> epochs.</summary>
    Step = 1,

    /// <summary>η is multiplied by <see cref="DeepTrainerOptions.LearningRateDecay"/> after every epoch.</summary>
    Exponential = 2,

    /// <summary>η follows half a cosine from <see cref="DeepTrainerOptions.LearningRate"/> down to 0 over <see cref="DeepTrainerOptions.NumberOfEpochs"/> epochs.</summary>
    Cosine = 3,

    /// <summary>
    /// η is multiplied by <see cref="DeepTrainerOptions.LearningRateDecay"/> when the monitored loss has not improved for
    /// more than <see cref="DeepTrainerOptions.LearningRateStepSize"/> epochs.
    /// </summary>
    ReduceOnPlateau = 4,
}
