namespace MLNetExt.Core.Detection;

/// <summary>
/// The result of <see cref="CocoEvaluator.Evaluate"/>: pycocotools' summary numbers, per-class AP and the
/// interpolated precision at COCO's 101 recall points.
/// </summary>
/// <remarks>A number over no counted object (a size range without objects, a class without objects) is NaN where
/// pycocotools prints −1.</remarks>
public sealed class CocoEvaluation
{
    // [T, R, K, A]: interpolated precision; −1 where class k has no counted object in area range a.
    private readonly double[,,,] _precision;

    // [T, K, A]: recall reached with all detections kept; −1 as above.
    private readonly double[,,] _recall;

    internal CocoEvaluation(double[,,,] precision, double[,,] recall, int maxDetections)
    {
        _precision = precision;
        _recall = recall;
        MaxDetections = maxDetections;
        int classCount = precision.GetLength(2);
        var perClass = new double[classCount];
        for (int k = 0; k < classCount; k++) perClass[k] = MeanPrecision(CocoAreaRange.All, iouIndex: null, classIndex: k);
        AveragePrecisionPerClass = perClass;
    }

    /// <summary>The IoU thresholds 0.50, 0.55, …, 0.95 (as <c>np.linspace(.5, .95, 10)</c>).</summary>
    public static IReadOnlyList<double> IouThresholds { get; } = Linspace(0.5, 0.95, 10);

    /// <summary>The recall points 0, 0.01, …, 1 (as <c>np.linspace(0, 1, 101)</c>).</summary>
    public static IReadOnlyList<double> RecallPoints { get; } = Linspace(0.0, 1.0, 101);

    /// <summary>The most detections per image and class that were kept (the highest-scoring).</summary>
    public int MaxDetections { get; }

    /// <summary>AP@[.50:.05:.95], all areas: COCO's headline mAP.</summary>
    public double MeanAveragePrecision => MeanPrecision(CocoAreaRange.All, null, null);

    /// <summary>AP at IoU 0.50, all areas.</summary>
    public double MeanAveragePrecision50 => MeanPrecision(CocoAreaRange.All, 0, null);

    /// <summary>AP at IoU 0.75, all areas.</summary>
    public double MeanAveragePrecision75 => MeanPrecision(CocoAreaRange.All, 5, null);

    /// <summary>AP@[.50:.95] over objects of one size range.</summary>
    public double MeanAveragePrecisionFor(CocoAreaRange area) => MeanPrecision(area, null, null);

    /// <summary>AR: recall with <see cref="MaxDetections"/> detections, averaged over IoU thresholds and classes.</summary>
    public double AverageRecall(CocoAreaRange area = CocoAreaRange.All)
    {
        double sum = 0;
        int count = 0;
        for (int t = 0; t < _recall.GetLength(0); t++)
            for (int k = 0; k < _recall.GetLength(1); k++)
                if (_recall[t, k, (int)area] > -1)
                {
                    sum += _recall[t, k, (int)area];
                    count++;
                }
        return count == 0 ? double.NaN : sum / count;
    }

    /// <summary>[C] each class's AP@[.50:.95] over all areas (NaN for a class without counted objects).</summary>
    public IReadOnlyList<double> AveragePrecisionPerClass { get; }

    /// <summary>
    /// Class <paramref name="classIndex"/>'s interpolated precision at the 101 <see cref="RecallPoints"/> for IoU
    /// threshold <see cref="IouThresholds"/>[<paramref name="iouIndex"/>], all areas; null for a class without counted objects.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">An index is out of range.</exception>
    public double[]? InterpolatedPrecision(int classIndex, int iouIndex = 0)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(classIndex);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(classIndex, _precision.GetLength(2));
        ArgumentOutOfRangeException.ThrowIfNegative(iouIndex);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(iouIndex, _precision.GetLength(0));
        if (_precision[iouIndex, 0, classIndex, (int)CocoAreaRange.All] <= -1) return null;
        var curve = new double[_precision.GetLength(1)];
        for (int r = 0; r < curve.Length; r++) curve[r] = _precision[iouIndex, r, classIndex, (int)CocoAreaRange.All];
        return curve;
    }

    // pycocotools' summarize: the mean of the entries above −1 over the chosen slice.
    private double MeanPrecision(CocoAreaRange area, int? iouIndex, int? classIndex)
    {
        double sum = 0;
        int count = 0;
        for (int t = 0; t < _precision.GetLength(0); t++)
        {
            if (iouIndex is int only && t != only) continue;
            for (int r = 0; r < _precision.GetLength(1); r++)
                for (int k = 0; k < _precision.GetLength(2); k++)
                {
                    if (classIndex is int c && k != c) continue;
                    double p = _precision[t, r, k, (int)area];
                    if (p <= -1) continue;
                    sum += p;
                    count++;
                }
        }
        return count == 0 ? double.NaN : sum / count;
    }

    // numpy's linspace: start + i·step with step = (stop − start)/(n − 1), the last value exactly stop.
    private static double[] Linspace(double start, double stop, int count)
    {
        var values = new double[count];
        double step = (stop - start) / (count - 1);
        for (int i = 0; i < count; i++) values[i] = i * step + start;
        values[^1] = stop;
        return values;
    }
}
