using FluentAssertions;

namespace MLNetExt.Data.Tests.Evaluation;

public class MulticlassClassificationEvaluateTests
{
    private const double Tolerance = 1e-6;

    public sealed class ThreeClassRow
    {
        [KeyType(3)]
        public uint Label;

        [VectorType(3)]
        public float[] Score = [];

        [KeyType(3)]
        public uint PredictedLabel;
    }

    public sealed class FourClassRow
    {
        [KeyType(4)]
        public uint Label;

        [VectorType(4)]
        public float[] Score = [];

        [KeyType(4)]
        public uint PredictedLabel;
    }

    public sealed class UnknownClassRow
    {
        [KeyType(4)]
        public uint Label;

        [VectorType(3)]
        public float[] Score = [];

        [KeyType(3)]
        public uint PredictedLabel;
    }

    // Class i is key i + 1. Rows of class 0: 0, 4; class 1: 1, 2, 5; class 2: 3.
    private static ThreeClassRow[] HandRows() =>
    [
        new() { Label = 1, Score = [0.7f, 0.2f, 0.1f] },    // predicted 0, right
        new() { Label = 2, Score = [0.5f, 0.4f, 0.1f] },    // predicted 0, true class ranked 1
        new() { Label = 2, Score = [0.1f, 0.8f, 0.1f] },    // predicted 1, right
        new() { Label = 3, Score = [0.3f, 0.3f, 0.4f] },    // predicted 2, right
        new() { Label = 1, Score = [0.25f, 0.25f, 0.5f] },  // predicted 2; class 1 ties class 0 but has a higher index: rank 1
        new() { Label = 2, Score = [0.4f, 0.4f, 0.2f] },    // tie: the lower index, class 0, is predicted; rank 1
    ];

    [Fact]
    public void Hand_computed_metrics()
    {
        var ml = new MLContext(1);
        var metrics = ml.MulticlassClassification.Evaluate(ml.Data.LoadFromEnumerable(HandRows()), topKPredictionCount: 2);

        // Right: rows 0, 2, 3.
        metrics.MicroAccuracy.Should().BeApproximately(3.0 / 6, Tolerance);
        // Per-class recall: class 0 1/2, class 1 1/3, class 2 1/1.
        metrics.MacroAccuracy.Should().BeApproximately((1.0 / 2 + 1.0 / 3 + 1) / 3, Tolerance);
        // True-class probabilities: 0.7, 0.4, 0.8, 0.4, 0.25, 0.4.
        double logLoss = -(Math.Log(0.7) + Math.Log(0.4) + Math.Log(0.8) + Math.Log(0.4) + Math.Log(0.25) + Math.Log(0.4)) / 6;
        metrics.LogLoss.Should().BeApproximately(logLoss, Tolerance);
        metrics.PerClassLogLoss.Should().Equal(new[]
        {
            -(Math.Log(0.7) + Math.Log(0.25)) / 2,
            -(Math.Log(0.4) + Math.Log(0.8) + Math.Log(0.4)) / 3,
            -Math.Log(0.4),
        }, (a, b) => Math.Abs(a - b) < Tolerance);
        // Label frequencies 2/6, 3/6, 1/6; their entropy in nats is the prior's log-loss.
        double entropy = -(Math.Log(2.0 / 6) * 2 / 6 + Math.Log(3.0 / 6) * 3 / 6 + Math.Log(1.0 / 6) / 6);
        metrics.LogLossReduction.Should().BeApproximately((entropy - logLoss) / entropy, Tolerance);
        // Ranks of the true class: 0, 1, 0, 0, 1, 1.
        metrics.TopKPredictionCount.Should().Be(2);
        metrics.TopKAccuracyForAllK.Should().Equal(0.5, 1.0);
        metrics.TopKAccuracy.Should().Be(1.0);
        metrics.ConfusionMatrix.Counts.Select(row => row.ToArray()).Should().BeEquivalentTo(new[]
        {
            new double[] { 1, 0, 1 },
            new double[] { 2, 1, 0 },
            new double[] { 0, 0, 1 },
        }, o => o.WithStrictOrdering());
        // Precision: predicted 0 three times (1 right), 1 once (right), 2 twice (1 right).
        metrics.ConfusionMatrix.PerClassPrecision.Should().Equal(new[] { 1.0 / 3, 1, 1.0 / 2 }, (a, b) => Math.Abs(a - b) < Tolerance);
        metrics.ConfusionMatrix.PerClassRecall.Should().Equal(new[] { 1.0 / 2, 1.0 / 3, 1 }, (a, b) => Math.Abs(a - b) < Tolerance);
    }

    [Fact]
    public void Top_k_accuracy_is_absent_unless_asked_for()
    {
        var ml = new MLContext(1);
        var metrics = ml.MulticlassClassification.Evaluate(ml.Data.LoadFromEnumerable(HandRows()));

        metrics.TopKPredictionCount.Should().Be(0);
        metrics.TopKAccuracyForAllK.Should().BeNull();
        metrics.TopKAccuracy.Should().Be(0);
    }

    [Fact]
    public void A_class_absent_from_the_labels_is_left_out_of_macro_accuracy()
    {
        var ml = new MLContext(1);
        var rows = new FourClassRow[]
        {
            new() { Label = 1, Score = [0.6f, 0.1f, 0.1f, 0.2f] },
            new() { Label = 2, Score = [0.1f, 0.3f, 0.1f, 0.5f] },
            new() { Label = 2, Score = [0.1f, 0.6f, 0.1f, 0.2f] },
        };
        var metrics = ml.MulticlassClassification.Evaluate(ml.Data.LoadFromEnumerable(rows));

        // Classes 0 and 1 occur: recalls 1 and 1/2; classes 2 and 3 do not count.
        metrics.MacroAccuracy.Should().BeApproximately(0.75, Tolerance);
        metrics.PerClassLogLoss[2].Should().Be(0);
        metrics.PerClassLogLoss[3].Should().Be(0);
        metrics.ConfusionMatrix.PerClassPrecision[3].Should().Be(0);
        metrics.ConfusionMatrix.PerClassRecall[3].Should().Be(0);
    }

    [Fact]
    public void A_label_beyond_the_score_vector_counts_wrong_with_the_clipped_log_loss()
    {
        var ml = new MLContext(1);
        var rows = new UnknownClassRow[]
        {
            new() { Label = 1, Score = [0.5f, 0.25f, 0.25f] },
            new() { Label = 4, Score = [0.5f, 0.25f, 0.25f] },
        };
        var metrics = ml.MulticlassClassification.Evaluate(ml.Data.LoadFromEnumerable(rows), topKPredictionCount: 3);

        metrics.MicroAccuracy.Should().BeApproximately(0.5, Tolerance);
        metrics.TopKAccuracy.Should().BeApproximately(0.5, Tolerance);
        // -ln 0.5 for the known row, -ln(1e-15) (the clip, in single precision) for the unknown one.
        metrics.LogLoss.Should().BeApproximately((-Math.Log(0.5) - Math.Log(1e-15f)) / 2, Tolerance);
        metrics.ConfusionMatrix.Counts.Sum(row => row.Sum()).Should().Be(1);
    }

    [Fact]
    public void A_zero_probability_is_clipped_to_1e_15()
    {
        var ml = new MLContext(1);
        var rows = new ThreeClassRow[] { new() { Label = 3, Score = [0.5f, 0.5f, 0f] } };
        ml.MulticlassClassification.Evaluate(ml.Data.LoadFromEnumerable(rows)).LogLoss
            .Should().BeApproximately(-Math.Log(1e-15f), Tolerance);
    }

    [Fact]
    public void Matches_scikit_learn()
    {
        var ml = new MLContext(1);
        var reference = SklearnReference.Case("multiclass");
        var labels = reference.Integers("label");
        var scores = reference.FloatRows("score");
        var rows = labels.Select((label, i) => new FourClassRow { Label = (uint)label + 1, Score = scores[i], PredictedLabel = 1 });
        var metrics = ml.MulticlassClassification.Evaluate(ml.Data.LoadFromEnumerable(rows), topKPredictionCount: 3);

        metrics.MicroAccuracy.Should().BeApproximately(reference.Expected("accuracy"), Tolerance);
        // ML.NET's macro accuracy is the mean recall over the classes present: scikit-learn's balanced accuracy.
        metrics.MacroAccuracy.Should().BeApproximately(reference.Expected("balanced_accuracy"), Tolerance);
        metrics.LogLoss.Should().BeApproximately(reference.Expected("log_loss"), Tolerance);
        metrics.LogLossReduction.Should().BeApproximately(
            1 - reference.Expected("log_loss") / reference.Expected("prior_log_loss"), Tolerance);
        metrics.TopKAccuracyForAllK.Should().Equal(reference.ExpectedArray("top_k_accuracy"), (a, b) => Math.Abs(a - b) < Tolerance);
        metrics.PerClassLogLoss.Should().Equal(reference.ExpectedArray("per_class_log_loss"), (a, b) => Math.Abs(a - b) < Tolerance);
        metrics.ConfusionMatrix.Counts.Select(row => row.ToArray()).Should().BeEquivalentTo(
            reference.ExpectedMatrix("confusion"), o => o.WithStrictOrdering());
    }

    [Fact]
    public void Multiclass_confusion_table_names_classes_by_index()
    {
        var ml = new MLContext(1);
        var matrix = ml.MulticlassClassification.Evaluate(ml.Data.LoadFromEnumerable(HandRows())).ConfusionMatrix;

        string[] lines =
        [
            "Confusion table",
            "          ||===========================",
            "PREDICTED ||      0 |      1 |      2 | Recall",
            "TRUTH     ||===========================",
            "        0 ||      1 |      0 |      1 | 0.5000",
            "        1 ||      2 |      1 |      0 | 0.3333",
            "        2 ||      0 |      0 |      1 | 1.0000",
            "          ||===========================",
            "Precision || 0.3333 | 1.0000 | 0.5000 |",
        ];
        matrix.GetFormattedConfusionTable().Should().Be(string.Join(Environment.NewLine, lines) + Environment.NewLine);
        FluentActions.Invoking(() => matrix.GetCountForClassPair(3, 0))
            .Should().Throw<ArgumentOutOfRangeException>().And.ParamName.Should().Be("predictedClassIndicatorIndex");
    }

    public sealed class FloatLabelRow
    {
        public float Label;

        [VectorType(3)]
        public float[] Score = [];

        [KeyType(3)]
        public uint PredictedLabel;
    }

    public sealed class ScalarScoreRow
    {
        [KeyType(3)]
        public uint Label;

        public float Score;

        [KeyType(3)]
        public uint PredictedLabel;
    }

    [Fact]
    public void Bad_columns_and_values_are_refused_clearly()
    {
        var ml = new MLContext(1);
        FluentActions.Invoking(() => ml.MulticlassClassification.Evaluate(
                ml.Data.LoadFromEnumerable(new[] { new FloatLabelRow { Label = 1, Score = [1, 0, 0] } })))
            .Should().Throw<ArgumentOutOfRangeException>().WithMessage("Schema mismatch for label column 'Label': expected Key, got Single*")
            .And.ParamName.Should().Be("labelColumnName");
        FluentActions.Invoking(() => ml.MulticlassClassification.Evaluate(
                ml.Data.LoadFromEnumerable(new[] { new ScalarScoreRow { Label = 1, Score = 1 } })))
            .Should().Throw<ArgumentOutOfRangeException>().WithMessage("*score column 'Score': expected known-size vector of Single*")
            .And.ParamName.Should().Be("scoreColumnName");
        var data = ml.Data.LoadFromEnumerable(HandRows());
        FluentActions.Invoking(() => ml.MulticlassClassification.Evaluate(data, predictedLabelColumnName: "Guess"))
            .Should().Throw<ArgumentOutOfRangeException>().WithMessage("Could not find predicted label column 'Guess'*");
        FluentActions.Invoking(() => ml.MulticlassClassification.Evaluate(data, topKPredictionCount: -1))
            .Should().Throw<ArgumentOutOfRangeException>().And.ParamName.Should().Be("topKPredictionCount");

        var missingKey = HandRows();
        missingKey[3].Label = 0;
        FluentActions.Invoking(() => ml.MulticlassClassification.Evaluate(ml.Data.LoadFromEnumerable(missingKey)))
            .Should().Throw<ArgumentException>().WithMessage("*label column 'Label' at row 3*missing key 0*");
        var infiniteScore = HandRows();
        infiniteScore[5].Score = [0.5f, float.PositiveInfinity, 0];
        FluentActions.Invoking(() => ml.MulticlassClassification.Evaluate(ml.Data.LoadFromEnumerable(infiniteScore)))
            .Should().Throw<ArgumentException>().WithMessage("*score column 'Score' at row 5*finite*");
        FluentActions.Invoking(() => ml.MulticlassClassification.Evaluate(ml.Data.LoadFromEnumerable(Array.Empty<ThreeClassRow>())))
            .Should().Throw<ArgumentException>().WithMessage("*no rows*");
    }
}
