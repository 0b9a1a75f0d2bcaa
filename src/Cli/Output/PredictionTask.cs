namespace MLNetExt.Cli.Output;

/// <summary>What a model predicts, as read from its output columns (see <see cref="ModelOutput"/>).</summary>
internal enum PredictionTask
{
    /// <summary>Score (Single), Probability (Single) and a Boolean PredictedLabel.</summary>
    BinaryClassification,

    /// <summary>Score (a vector of class scores) and a key PredictedLabel.</summary>
    MulticlassClassification,

    /// <summary>PredictedLabel a variable-length vector of keys: one class per token.</summary>
    Tagging,

    /// <summary>Score (Single) and no PredictedLabel.</summary>
    Regression,

    /// <summary>Score a vector of Single and no PredictedLabel: several values per row, e.g. the next steps of a series.</summary>
    MultiStepRegression,

    /// <summary>Score (Single, higher is more anomalous) and a Boolean PredictedLabel without Probability, as ML.NET's anomaly detectors write.</summary>
    AnomalyDetection,
}
