namespace MLNetExt.Trainers.Autoencoders;

/// <summary>
/// Standardization with the training data's statistics, as scikit-learn's <c>StandardScaler</c>:
/// x' = (x − mean) / scale, scale the population standard deviation, or 1 for a constant feature (so it maps to 0
/// rather than to NaN).
/// </summary>
internal sealed class FeatureStandardizer
{
    /// <summary>Uses the given statistics (a loaded model's); both arrays have one value per feature, every scale &gt; 0.</summary>
    public FeatureStandardizer(float[] mean, float[] scale)
    {
        if (mean.Length != scale.Length)
            throw new ArgumentException($"The standardizer has {mean.Length} means but {scale.Length} scales.");
        if (scale.Any(s => !(s > 0 && float.IsFinite(s))) || mean.Any(m => !float.IsFinite(m)))
            throw new ArgumentException("Every standardizer mean must be finite and every scale finite and greater than 0.");
        Mean = mean;
        Scale = scale;
    }

    /// <summary>The per-feature means.</summary>
    public float[] Mean { get; }

    /// <summary>The per-feature scales (standard deviations; 1 for a constant feature).</summary>
    public float[] Scale { get; }

    /// <summary>The statistics of <paramref name="rows"/> [N, F] (row-major), accumulated in double.</summary>
    public static FeatureStandardizer Fit(ReadOnlySpan<float> rows, int featureCount)
    {
        int count = rows.Length / featureCount;
        var sum = new double[featureCount];
        for (int r = 0; r < count; r++)
        {
            var row = rows.Slice(r * featureCount, featureCount);
            for (int f = 0; f < featureCount; f++)
                sum[f] += row[f];
        }
        var mean = new double[featureCount];
        for (int f = 0; f < featureCount; f++)
            mean[f] = sum[f] / count;
        var squares = new double[featureCount];
        for (int r = 0; r < count; r++)
        {
            var row = rows.Slice(r * featureCount, featureCount);
            for (int f = 0; f < featureCount; f++)
            {
                double d = row[f] - mean[f];
                squares[f] += d * d;
            }
        }
        var scale = new float[featureCount];
        for (int f = 0; f < featureCount; f++)
        {
            float deviation = (float)Math.Sqrt(squares[f] / count);
            // A constant feature (or one whose spread is below float resolution) keeps its scale: it maps to 0.
            scale[f] = deviation > 1e-12f * Math.Max(1, Math.Abs(mean[f])) && float.IsFinite(deviation) ? deviation : 1f;
        }
        return new FeatureStandardizer([.. mean.Select(m => (float)m)], scale);
    }

    /// <summary>Standardizes <paramref name="values"/> (any number of whole rows) in place.</summary>
    public void Apply(Span<float> values)
    {
        int features = Mean.Length;
        for (int start = 0; start < values.Length; start += features)
        {
            var row = values.Slice(start, features);
            System.Numerics.Tensors.TensorPrimitives.Subtract(row, Mean, row);
            System.Numerics.Tensors.TensorPrimitives.Divide(row, Scale, row);
        }
    }
}
