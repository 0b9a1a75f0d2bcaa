using MLNetExt.Core;

namespace MLNetExt.Estimators.Tests.Mlp;

/// <summary>Generated tasks for the MLP tests: XOR-like quadrants, three interleaved spirals, a smooth regression surface.</summary>
public static class MlpData
{
    public sealed class BinaryRow
    {
        public bool Label;

        [VectorType(2)]
        public float[] Features = [];
    }

    public sealed class TextLabelRow
    {
        public string Label = "";

        [VectorType(2)]
        public float[] Features = [];
    }

    public sealed class RegressionRow
    {
        public float Label;

        [VectorType(2)]
        public float[] Features = [];
    }

    public sealed class FeaturesOnlyRow
    {
        [VectorType(2)]
        public float[] Features = [];
    }

    /// <summary>Points in [-1, 1]²; the label is true where x·y &gt; 0 (XOR of the signs).</summary>
    public static List<BinaryRow> Xor(int count, ulong seed)
    {
        var random = new RandomSource(seed);
        return [.. Enumerable.Range(0, count).Select(_ =>
        {
            float x = random.NextUniform(-1, 1), y = random.NextUniform(-1, 1);
            return new BinaryRow { Label = x * y > 0, Features = [x, y] };
        })];
    }

    /// <summary>Three spirals of <paramref name="perClass"/> points each, labelled "red", "green", "blue".</summary>
    public static List<TextLabelRow> Spirals(int perClass, ulong seed)
    {
        string[] names = ["red", "green", "blue"];
        var random = new RandomSource(seed);
        var rows = new List<TextLabelRow>();
        for (int c = 0; c < 3; c++)
        {
            for (int i = 0; i < perClass; i++)
            {
                float r = (float)i / perClass;
                float angle = c * 4f + 4f * r + 0.2f * random.NextGaussian();
                rows.Add(new TextLabelRow { Label = names[c], Features = [r * MathF.Sin(angle), r * MathF.Cos(angle)] });
            }
        }
        random.Shuffle(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(rows));
        return rows;
    }

    /// <summary>y = sin(2x₁) + x₂² on [-1, 1]².</summary>
    public static List<RegressionRow> Surface(int count, ulong seed)
    {
        var random = new RandomSource(seed);
        return [.. Enumerable.Range(0, count).Select(_ =>
        {
            float x = random.NextUniform(-1, 1), y = random.NextUniform(-1, 1);
            return new RegressionRow { Label = MathF.Sin(2 * x) + y * y, Features = [x, y] };
        })];
    }
}
