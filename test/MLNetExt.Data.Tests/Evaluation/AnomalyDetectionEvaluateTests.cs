using FluentAssertions;

namespace MLNetExt.Data.Tests.Evaluation;

public class AnomalyDetectionEvaluateTests
{
    private const double Tolerance = 1e-6;

    public sealed class AnomalyRow
    {
        public bool Label;
        public float Score;
        public bool PredictedLabel;
    }

    public sealed class SingleLabelRow
    {
        public float Label;
        public float Score;
        public bool PredictedLabel;
    }

    // Scores descending: 0.9 A, 0.8 n, 0.7 A, 0.6 n, 0.5 n, 0.4 A, 0.3 n (A = anomaly), shuffled.
    private static AnomalyRow[] HandRows() =>
    [
        new() { Label = false, Score = 0.6f },
        new() { Label = true, Score = 0.9f },
        new() { Label = false, Score = 0.3f },
        new() { Label = true, Score = 0.4f },
        new() { Label = false, Score = 0.8f },
        new() { Label = true, Score = 0.7f },
        new() { Label = false, Score = 0.5f },
    ];

    [Theory]
    // k = 1: 0.9 A, 0.8 n (1st), 0.7 A, then 0.6 n is the 2nd false positive: 2 of 3 found.
    [InlineData(1, 2.0 / 3)]
    // k = 2: the walk stops at 0.5 n, the 3rd false positive, before 0.4 A: 2 of 3.
    [InlineData(2, 2.0 / 3)]
    // k = 3: 0.4 A is reached before 0.3 n: 3 of 3.
    [InlineData(3, 1.0)]
    [InlineData(10, 1.0)]
    public void Hand_computed_detection_rate(int falsePositiveCount, double expected)
    {
        var ml = new MLContext(1);
        var metrics = ml.AnomalyDetection.Evaluate(ml.Data.LoadFromEnumerable(HandRows()), falsePositiveCount: falsePositiveCount);

        metrics.DetectionRateAtFalsePositiveCount.Should().BeApproximately(expected, Tolerance);
        // Anomalies 0.9, 0.7, 0.4 beat 4, 3 and 1 of the 4 normal rows: 8 of 12 pairs.
        metrics.AreaUnderRocCurve.Should().BeApproximately(8.0 / 12, Tolerance);
    }

    [Fact]
    public void Single_labels_above_zero_are_anomalies()
    {
        var ml = new MLContext(1);
        var rows = HandRows().Select(r => new SingleLabelRow { Label = r.Label ? 1 : 0, Score = r.Score });
        var metrics = ml.AnomalyDetection.Evaluate(ml.Data.LoadFromEnumerable(rows), falsePositiveCount: 1);

        metrics.DetectionRateAtFalsePositiveCount.Should().BeApproximately(2.0 / 3, Tolerance);
        metrics.AreaUnderRocCurve.Should().BeApproximately(8.0 / 12, Tolerance);
    }

    [Fact]
    public void Matches_scikit_learn_and_the_reference_walk()
    {
        var ml = new MLContext(1);
        var reference = SklearnReference.Case("anomaly");
        var labels = reference.Booleans("label");
        var scores = reference.Floats("score");
        var data = ml.Data.LoadFromEnumerable(labels.Select((label, i) => new AnomalyRow { Label = label, Score = scores[i] }));

        var atThree = ml.AnomalyDetection.Evaluate(data, falsePositiveCount: 3);
        atThree.AreaUnderRocCurve.Should().BeApproximately(reference.Expected("roc_auc"), Tolerance);
        atThree.DetectionRateAtFalsePositiveCount.Should().BeApproximately(reference.Expected("detection_rate_at_3"), Tolerance);
        ml.AnomalyDetection.Evaluate(data).DetectionRateAtFalsePositiveCount
            .Should().BeApproximately(reference.Expected("detection_rate_at_10"), Tolerance);
    }

    [Fact]
    public void Bad_input_is_refused_clearly()
    {
        var ml = new MLContext(1);
        var data = ml.Data.LoadFromEnumerable(HandRows());
        FluentActions.Invoking(() => ml.AnomalyDetection.Evaluate(data, falsePositiveCount: 0))
            .Should().Throw<ArgumentOutOfRangeException>().And.ParamName.Should().Be("falsePositiveCount");
        FluentActions.Invoking(() => ml.AnomalyDetection.Evaluate(data, scoreColumnName: "Anomaly"))
            .Should().Throw<ArgumentOutOfRangeException>().WithMessage("Could not find score column 'Anomaly'*");
        FluentActions.Invoking(() => ml.AnomalyDetection.Evaluate(data, labelColumnName: "PredictedLabel", predictedLabelColumnName: "Label"))
            .Should().Throw<ArgumentException>().WithMessage("*no anomaly class*'PredictedLabel'*");
        var nanLabel = HandRows().Select(r => new SingleLabelRow { Label = r.Label ? 1 : 0, Score = r.Score }).ToArray();
        nanLabel[6].Label = float.NaN;
        FluentActions.Invoking(() => ml.AnomalyDetection.Evaluate(ml.Data.LoadFromEnumerable(nanLabel)))
            .Should().Throw<ArgumentException>().WithMessage("*label column 'Label' at row 6*NaN*");
        FluentActions.Invoking(() => ml.AnomalyDetection.Evaluate(ml.Data.LoadFromEnumerable(Array.Empty<AnomalyRow>())))
            .Should().Throw<ArgumentException>().WithMessage("*no rows*");
    }
}
