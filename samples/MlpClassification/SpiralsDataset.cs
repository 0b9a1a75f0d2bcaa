using System.Globalization;

namespace MLNetExt.Samples.MlpClassification;

/// <summary>The shipped three-spirals data set: two features (x, y) and a class label 0–2 per row.</summary>
internal sealed class SpiralsDataset
{
    public const int FeatureCount = 2;

    private SpiralsDataset(float[] features, int[] labels)
    {
        Features = features;
        Labels = labels;
    }

    /// <summary>Row-major [Count, 2].</summary>
    public float[] Features { get; }

    public int[] Labels { get; }

    public int Count => Labels.Length;

    public int ClassCount => Labels.Max() + 1;

    /// <summary>Reads a CSV with the header <c>x,y,label</c>; a malformed line is reported with its number and text.</summary>
    public static SpiralsDataset Load(string path)
    {
        var features = new List<float>();
        var labels = new List<int>();
        using var reader = new StreamReader(path);
        string? header = reader.ReadLine();
        if (header?.Trim() != "x,y,label")
            throw new InvalidDataException($"{path}: expected the header 'x,y,label' but found '{header}'.");
        int lineNumber = 1;
        for (string? line = reader.ReadLine(); line is not null; line = reader.ReadLine())
        {
            lineNumber++;
            if (line.Length == 0) continue;
            var fields = line.Split(',');
            if (fields.Length != 3
                || !float.TryParse(fields[0], NumberStyles.Float, CultureInfo.InvariantCulture, out float x)
                || !float.TryParse(fields[1], NumberStyles.Float, CultureInfo.InvariantCulture, out float y)
                || !int.TryParse(fields[2], NumberStyles.Integer, CultureInfo.InvariantCulture, out int label)
                || label < 0)
                throw new InvalidDataException($"{path}, line {lineNumber}: expected 'x,y,label' with numbers and a non-negative class, found '{line}'.");
            features.Add(x);
            features.Add(y);
            labels.Add(label);
        }
        if (labels.Count == 0) throw new InvalidDataException($"{path}: the file holds no rows.");
        return new SpiralsDataset(features.ToArray(), labels.ToArray());
    }

    /// <summary>A seeded shuffle, then the first (1 − testFraction) of the rows for training and the rest for testing.</summary>
    public (SpiralsDataset Train, SpiralsDataset Test) TrainTestSplit(double testFraction, ulong seed)
    {
        var order = Enumerable.Range(0, Count).ToArray();
        new Core.RandomSource(seed).Shuffle(order.AsSpan());
        int trainCount = (int)Math.Round(Count * (1 - testFraction));
        return (Subset(order[..trainCount]), Subset(order[trainCount..]));
    }

    private SpiralsDataset Subset(int[] rows)
    {
        var features = new float[rows.Length * FeatureCount];
        var labels = new int[rows.Length];
        for (int i = 0; i < rows.Length; i++)
        {
            Features.AsSpan(rows[i] * FeatureCount, FeatureCount).CopyTo(features.AsSpan(i * FeatureCount));
            labels[i] = Labels[rows[i]];
        }
        return new SpiralsDataset(features, labels);
    }
}
