using Microsoft.ML.Data;

namespace MLNetExt.Samples.MlpClassification;

/// <summary>One row of spirals.csv (header <c>x,y,label</c>): a point and the spiral (0–2) it lies on.</summary>
public sealed class SpiralPoint
{
    [LoadColumn(0)]
    public float X { get; set; }

    [LoadColumn(1)]
    public float Y { get; set; }

    /// <summary>The spiral, read as text so that the predictions name it as the file does.</summary>
    [LoadColumn(2)]
    public string Label { get; set; } = "";
}

/// <summary>What the pipeline writes for a point: the spiral, mapped back from its key, and one score per spiral.</summary>
public sealed class SpiralPrediction
{
    [ColumnName("PredictedSpiral")]
    public string Spiral { get; set; } = "";

    public float[] Score { get; set; } = [];
}
