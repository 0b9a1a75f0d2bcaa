namespace MLNetExt.Core.Detection;

/// <summary>
/// One class's precision–recall curve: point k is the state after the k + 1 highest-scoring detections that count
/// (detections matched to ignored objects are left out).
/// </summary>
/// <param name="Scores">[K] the score of the k-th detection.</param>
/// <param name="Precision">[K] true positives / (k + 1) among the first k + 1.</param>
/// <param name="Recall">[K] true positives among the first k + 1 / the objects that count.</param>
public sealed record PrecisionRecallCurve(float[] Scores, double[] Precision, double[] Recall);
