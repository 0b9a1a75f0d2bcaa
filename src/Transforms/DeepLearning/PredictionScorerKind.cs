namespace MLNetExt.Transforms.DeepLearning;

/// <summary>Which of ML.NET's scorers a saved deep model ends with (see <see cref="Saving.MLNetScorers"/>).</summary>
internal enum PredictionScorerKind
{
    /// <summary>Score (the logit), PredictedLabel (Boolean) and Probability.</summary>
    Binary,

    /// <summary>Score (class probabilities) and PredictedLabel (a key).</summary>
    Multiclass,

    /// <summary>Score (one value).</summary>
    Regression,

    /// <summary>A vector Score, the raw outputs themselves (forecasts over a horizon).</summary>
    Vector,

    /// <summary>Per-token Score (class probabilities, T·C) and PredictedLabel (a key per token), both of variable length.</summary>
    Tagging,
}
