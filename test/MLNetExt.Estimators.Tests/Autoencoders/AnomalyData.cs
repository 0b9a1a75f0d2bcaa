using MLNetExt.Core;

namespace MLNetExt.Estimators.Tests.Autoencoders;

/// <summary>
/// Generated anomaly-detection sets where only a model that learned the normal rows' structure can tell anomalies
/// apart: normal rows lie near a low-dimensional subspace, anomalies are scattered off it with the same norm, so
/// neither the norm nor any single feature separates them.
/// </summary>
public static class AnomalyData
{
    public const int FeatureCount = 12;

    public sealed class Row
    {
        /// <summary>1 for an anomaly, 0 for a normal row (ML.NET's anomaly evaluator reads a Single label).</summary>
        public float Label;

        [VectorType(FeatureCount)]
        public float[] Features = [];
    }

    public sealed class ImageRow
    {
        public float Label;

        [VectorType(1, 8, 8)]
        public float[] Image = [];
    }

    /// <summary>
    /// <paramref name="count"/> rows, a fraction <paramref name="anomalyRate"/> of them anomalies: normal rows are
    /// x = A·z + 0.05·noise, z ~ N(0, I₃), with a fixed random 12×3 mixing A (plus an offset and per-feature scales,
    /// so that standardization matters); anomalies are Gaussian in all 12 directions, rescaled to the norm of a normal
    /// row.
    /// </summary>
    public static List<Row> Subspace(int count, double anomalyRate, ulong seed)
    {
        var mixing = new float[FeatureCount * 3];
        new RandomSource(12345).FillGaussian(mixing, 0f, 1f);
        var random = new RandomSource(seed);
        var rows = new List<Row>(count);
        for (int i = 0; i < count; i++)
        {
            var latent = new float[3];
            random.FillGaussian(latent, 0f, 1f);
            var normal = new float[FeatureCount];
            for (int f = 0; f < FeatureCount; f++)
                normal[f] = mixing[f * 3] * latent[0] + mixing[f * 3 + 1] * latent[1] + mixing[f * 3 + 2] * latent[2] + 0.05f * random.NextGaussian();
            bool anomaly = random.NextDouble() < anomalyRate;
            var values = normal;
            if (anomaly)
            {
                values = new float[FeatureCount];
                random.FillGaussian(values, 0f, 1f);
                float scale = Norm(normal) / Norm(values);
                for (int f = 0; f < FeatureCount; f++)
                    values[f] *= scale;
            }
            for (int f = 0; f < FeatureCount; f++)
                values[f] = 10f + (f + 1) * values[f];
            rows.Add(new Row { Label = anomaly ? 1f : 0f, Features = values });
        }
        return rows;
    }

    /// <summary>
    /// 8×8 grey images in [0, 1]: a normal image is one bright horizontal bar (of random row, brightness and width 1–2)
    /// on a noisy dark background; an anomaly holds a vertical bar of the same kind instead.
    /// </summary>
    public static List<ImageRow> Bars(int count, double anomalyRate, ulong seed)
    {
        var random = new RandomSource(seed);
        var rows = new List<ImageRow>(count);
        for (int i = 0; i < count; i++)
        {
            bool anomaly = random.NextDouble() < anomalyRate;
            var image = new float[64];
            for (int p = 0; p < 64; p++)
                image[p] = 0.1f * random.NextSingle();
            int position = random.NextInt(7), width = 1 + random.NextInt(2);
            float brightness = 0.6f + 0.4f * random.NextSingle();
            for (int line = position; line < position + width; line++)
            {
                for (int along = 0; along < 8; along++)
                    image[anomaly ? along * 8 + line : line * 8 + along] = brightness;
            }
            rows.Add(new ImageRow { Label = anomaly ? 1f : 0f, Image = image });
        }
        return rows;
    }

    private static float Norm(float[] values) => MathF.Sqrt(values.Sum(v => v * v));
}
