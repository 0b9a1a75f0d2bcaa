namespace MLNetExt.Samples.DateNormalization;

/// <summary>A test date's expected and predicted ISO forms, for ML.NET's evaluation.</summary>
public sealed class Translation
{
    public string Label { get; set; } = "";

    public string PredictedText { get; set; } = "";
}
