using System.Globalization;

namespace MLNetExt.Estimators.Tests.Sequence;

/// <summary>The synthetic sequence data shipped in samples/data (made by generate_sequences.py), and small rows for workouts.</summary>
public static class SequenceData
{
    public sealed class TextRow
    {
        public string Text = "";

        public bool Label;
    }

    public sealed class TaggedRow
    {
        public string Tokens = "";

        public string Tags = "";
    }

    public sealed class WindowRow
    {
        public float[] Features = [];

        public float Label;
    }

    public sealed class HorizonRow
    {
        [VectorType(3)]
        public float[] Label = [];

        public float[] Features = [];
    }

    public sealed class StepsRow
    {
        public string Label = "";

        public float[] Features = [];
    }

    /// <summary>The reviews of sentiment.tsv, in file order.</summary>
    public static TextRow[] Sentiment() =>
        [.. Lines("sentiment.tsv").Select(line => line.Split('\t')).Select(parts => new TextRow { Text = parts[0], Label = parts[1] == "1" })];

    /// <summary>The sentences of tagging.tsv, in file order.</summary>
    public static TaggedRow[] Tagging() =>
        [.. Lines("tagging.tsv").Select(line => line.Split('\t')).Select(parts => new TaggedRow { Tokens = parts[0], Tags = parts[1] })];

    /// <summary>The series of seasonal.csv.</summary>
    public static float[] Seasonal() => [.. Lines("seasonal.csv").Select(line => float.Parse(line, CultureInfo.InvariantCulture))];

    /// <summary>
    /// Sequences of 2-value steps whose class is where the largest first value sits: in the first, middle or last third
    /// of the sequence (lengths 3 to 9).
    /// </summary>
    public static StepsRow[] PeakPosition(int count, int seed)
    {
        var random = new Random(seed);
        var rows = new StepsRow[count];
        string[] names = ["early", "middle", "late"];
        for (int i = 0; i < count; i++)
        {
            int length = random.Next(3, 10), peak = random.Next(length);
            var features = new float[length * 2];
            for (int t = 0; t < length; t++)
            {
                features[2 * t] = (float)random.NextDouble();
                features[2 * t + 1] = (float)random.NextDouble() - 0.5f;
            }
            features[2 * peak] = 2f;
            rows[i] = new StepsRow { Label = names[Math.Min(2, peak * 3 / length)], Features = features };
        }
        return rows;
    }

    private static IEnumerable<string> Lines(string file)
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "samples", "data", file)))
            directory = directory.Parent;
        if (directory is null)
            throw new FileNotFoundException($"samples/data/{file} was not found above {AppContext.BaseDirectory}.");
        return File.ReadLines(Path.Combine(directory.FullName, "samples", "data", file)).Skip(1);
    }
}
