namespace MLNetExt.Trainers.Sequence;

/// <summary>What a sequence model predicts, which decides its head, its loss and its output columns.</summary>
public enum SequenceTask
{
    /// <summary>Many-to-one binary classification: one logit; outputs Score, Probability and PredictedLabel (Boolean).</summary>
    BinaryClassification = 0,

    /// <summary>Many-to-one multiclass classification: one logit per class; outputs Score (probabilities) and PredictedLabel (a key).</summary>
    MulticlassClassification = 1,

    /// <summary>Many-to-one regression of Horizon values (forecasting); outputs Score (Single when Horizon is 1, otherwise a vector).</summary>
    Forecasting = 2,

    /// <summary>Many-to-many tagging, one class per token; outputs Score (per-token probabilities) and PredictedLabel (a vector of keys).</summary>
    Tagging = 3,
}
