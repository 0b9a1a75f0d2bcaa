namespace MLNetExt.Trainers.Mlp;

/// <summary>What a multi-layer perceptron predicts, which decides its loss and its output columns.</summary>
public enum MlpTask
{
    /// <summary>Binary classification: one logit; outputs Score (the logit), Probability and PredictedLabel (Boolean).</summary>
    BinaryClassification = 0,

    /// <summary>Multiclass classification: one logit per class; outputs Score (class probabilities) and PredictedLabel (a key).</summary>
    MulticlassClassification = 1,

    /// <summary>Regression: one value; outputs Score.</summary>
    Regression = 2,
}
