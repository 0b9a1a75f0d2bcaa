using Microsoft.ML.Data;

namespace MLNetExt.Samples.AnomalyDetection;

/// <summary>
/// One row of telemetry.csv (header <c>requests_per_s,cpu_pct,memory_pct,latency_ms,net_out_mbps,disk_reads_per_s,label</c>):
/// a five-minute reading of a web server and whether it was an incident (1) or not (0). The label is for evaluation only.
/// </summary>
public sealed class ServerReading
{
    [LoadColumn(0)]
    public float RequestsPerSecond { get; set; }

    [LoadColumn(1)]
    public float CpuPercent { get; set; }

    [LoadColumn(2)]
    public float MemoryPercent { get; set; }

    [LoadColumn(3)]
    public float LatencyMs { get; set; }

    [LoadColumn(4)]
    public float NetworkOutMbps { get; set; }

    [LoadColumn(5)]
    public float DiskReadsPerSecond { get; set; }

    /// <summary>1 for an incident, 0 for a normal reading: a Single, as ML.NET's anomaly evaluator wants it.</summary>
    [LoadColumn(6)]
    public float Label { get; set; }

    /// <summary>The feature columns, in the order Concatenate puts them in the Features vector.</summary>
    public static readonly string[] FeatureColumns =
    [
        nameof(RequestsPerSecond), nameof(CpuPercent), nameof(MemoryPercent), nameof(LatencyMs), nameof(NetworkOutMbps), nameof(DiskReadsPerSecond),
    ];

    /// <summary>The feature values in the order of <see cref="FeatureColumns"/>.</summary>
    public float[] Values() => [RequestsPerSecond, CpuPercent, MemoryPercent, LatencyMs, NetworkOutMbps, DiskReadsPerSecond];
}

/// <summary>What the autoencoder writes for a reading.</summary>
public sealed class AnomalyPrediction
{
    /// <summary>True when <see cref="Score"/> is above the model's threshold.</summary>
    public bool PredictedLabel { get; set; }

    /// <summary>The mean per-feature reconstruction error: the higher, the more unusual.</summary>
    public float Score { get; set; }

    /// <summary>One reconstruction error per feature (in standardized units): which features the model could not explain.</summary>
    public float[] ReconstructionErrors { get; set; } = [];
}
