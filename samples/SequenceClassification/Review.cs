using Microsoft.ML.Data;

namespace MLNetExt.Samples.SequenceClassification;

/// <summary>One row of sentiment.tsv: a review and whether it is positive.</summary>
public sealed class Review
{
    [LoadColumn(0)]
    public string Text { get; set; } = "";

    [LoadColumn(1)]
    public bool Label { get; set; }
}

/// <summary>What the classifier writes for a review.</summary>
public sealed class SentimentPrediction
{
    public bool PredictedLabel { get; set; }

    public float Probability { get; set; }

    public float Score { get; set; }
}
