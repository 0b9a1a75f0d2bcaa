namespace MLNetExt.Data;

/// <summary>
/// How well an anomaly detector's scores single out the anomalies, as ML.NET's <c>AnomalyDetectionMetrics</c>;
/// made by <see cref="AnomalyDetectionCatalog.Evaluate"/>. A higher score means more anomalous; a positive label
/// marks an anomaly.
/// </summary>
public sealed class AnomalyDetectionMetrics
{
    internal AnomalyDetectionMetrics(double areaUnderRocCurve, double detectionRateAtFalsePositiveCount)
    {
        AreaUnderRocCurve = areaUnderRocCurve;
        DetectionRateAtFalsePositiveCount = detectionRateAtFalsePositiveCount;
    }

    /// <summary>
    /// The probability that a random anomaly scores above a random normal row, ties counting one half. In [0, 1].
    /// </summary>
    public double AreaUnderRocCurve { get; }

    /// <summary>
    /// The fraction of all anomalies found when rows are inspected from the highest score down (equal scores in
    /// row order) and the inspection stops just before the (k + 1)-th normal row, k being the evaluation's false
    /// positive count.
    /// </summary>
    public double DetectionRateAtFalsePositiveCount { get; }
}
