namespace MLNetExt.Trainers.DeepLearning;

/// <summary>The metric a <see cref="DeepTrainingLoop"/> reports on the validation rows, beside the loss.</summary>
public enum TrainingMetric
{
    /// <summary>No metric: only the loss is reported.</summary>
    None = 0,

    /// <summary>The fraction of rows whose highest output is the labelled class (class-index targets).</summary>
    Accuracy = 1,

    /// <summary>The fraction of rows where "output above 0" agrees with "target above 0.5" (one logit per row).</summary>
    BinaryAccuracy = 2,

    /// <summary>The root of the mean squared difference between outputs and targets.</summary>
    RootMeanSquaredError = 3,
}
