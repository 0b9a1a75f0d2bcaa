using Microsoft.ML;
using Microsoft.ML.Data;
using MLNetExt.Cli.Output;

namespace MLNetExt.Cli.Tests;

/// <summary>
/// The multiclass metrics computed without ML.NET's class × class confusion matrix (issue 15: a 30,000-class
/// evaluation built a 5 GB one): the same values as ML.NET's evaluator, in memory that grows with the classes only.
/// </summary>
public sealed class MulticlassMetricsTests
{
    private sealed class Row
    {
        public uint Label;

        public float[] Score = [];

        public uint PredictedLabel;
    }

    /// <summary>Scored rows of <paramref name="classes"/> classes: softmax scores, some ties, some missing labels (key 0) and a class that never occurs.</summary>
    private static IDataView Scored(MLContext ml, int classes, int rows, int seed)
    {
        var random = new Random(seed);
        var data = new List<Row>();
        for (int r = 0; r < rows; r++)
        {
            var logits = Enumerable.Range(0, classes).Select(_ => (float)(random.NextDouble() * 4 - 2)).ToArray();
            if (r % 7 == 0)
                logits[1] = logits[0] = logits.Max(); // a tie: the first class of the highest score is predicted
            float max = logits.Max();
            var exp = logits.Select(v => MathF.Exp(v - max)).ToArray();
            float sum = exp.Sum();
            var score = exp.Select(v => v / sum).ToArray();
            if (r % 11 == 0)
                score[0] = 0; // clipped to 1e-15 in the log-loss
            uint label = r % 13 == 0 ? 0u : (uint)(1 + random.Next(classes - 1)); // the last class never occurs
            data.Add(new Row { Label = label, Score = score, PredictedLabel = (uint)(1 + Array.IndexOf(score, score.Max())) });
        }
        var schema = SchemaDefinition.Create(typeof(Row));
        schema[nameof(Row.Label)].ColumnType = new KeyDataViewType(typeof(uint), classes);
        schema[nameof(Row.Score)].ColumnType = new VectorDataViewType(NumberDataViewType.Single, classes);
        schema[nameof(Row.PredictedLabel)].ColumnType = new KeyDataViewType(typeof(uint), classes);
        return ml.Data.LoadFromEnumerable(data, schema);
    }

    [Theory]
    [InlineData(3, 200)]
    [InlineData(25, 500)]
    public void The_streaming_metrics_equal_MLNETs_evaluator(int classes, int rows)
    {
        var ml = new MLContext(1);
        var scored = Scored(ml, classes, rows, seed: classes);

        var expected = ml.MulticlassClassification.Evaluate(scored, "Label", "Score");
        var actual = MetricsTable.StreamingMulticlass(scored, "Label", "Score");

        actual.MicroAccuracy.Should().BeApproximately(expected.MicroAccuracy, 1e-12);
        actual.MacroAccuracy.Should().BeApproximately(expected.MacroAccuracy, 1e-12);
        actual.LogLoss.Should().BeApproximately(expected.LogLoss, 1e-9);
        actual.LogLossReduction.Should().BeApproximately(expected.LogLossReduction, 1e-9);
        MetricsTable.Multiclass(ml, scored, "Label", "Score", maxConfusionMatrixClasses: 0).Should().Be(actual, "above the cap the streaming path answers");
    }

    [Fact]
    public void Thirty_thousand_classes_allocate_with_the_classes_not_their_square()
    {
        var ml = new MLContext(1);
        const int Classes = 30_000, Rows = 200;
        var scored = Scored(ml, Classes, Rows, seed: 3);
        // Enumerating the scored rows alone costs their score vectors; the metrics may add little beyond that.
        long before = GC.GetTotalAllocatedBytes(precise: true);
        using (var cursor = scored.GetRowCursor(scored.Schema))
        {
            var score = cursor.GetGetter<VBuffer<float>>(scored.Schema["Score"]);
            VBuffer<float> buffer = default;
            while (cursor.MoveNext())
                score(ref buffer);
        }
        long enumeration = GC.GetTotalAllocatedBytes(precise: true) - before;

        before = GC.GetTotalAllocatedBytes(precise: true);
        var metrics = MetricsTable.Multiclass(ml, scored, "Label", "Score");
        long allocated = GC.GetTotalAllocatedBytes(precise: true) - before;

        Classes.Should().BeGreaterThan(MetricsTable.MaxConfusionMatrixClasses);
        metrics.MicroAccuracy.Should().BeInRange(0, 1);
        allocated.Should().BeLessThan(enumeration + (4L << 20), "counts per class are 2 × 8 × 30,000 bytes; ML.NET's matrix would be 8 × 30,000² = 7.2 GB");
    }
}
