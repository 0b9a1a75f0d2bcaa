namespace MLNetExt.Transforms.DeepLearning;

/// <summary>
/// The labels of the training rows as a <see cref="PredictionTask"/> reads them, row after row: each task fills the
/// one list it trains on.
/// </summary>
internal sealed class TrainingLabels
{
    /// <summary>Regression targets (Horizon values per row) or binary targets (0 or 1, one per row).</summary>
    public List<float> Targets { get; } = [];

    /// <summary>Class indices in [0, C), one per row (multiclass).</summary>
    public List<int> Classes { get; } = [];

    /// <summary>Class indices per token, ℓ per row (tagging); <see cref="Trainers.DeepLearning.DeepTrainingData.IgnoredClass"/> for a missing tag.</summary>
    public List<int[]> TokenClasses { get; } = [];
}
