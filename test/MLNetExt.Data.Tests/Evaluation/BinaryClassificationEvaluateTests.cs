using FluentAssertions;

namespace MLNetExt.Data.Tests.Evaluation;

public class BinaryClassificationEvaluateTests
{
    private const double Tolerance = 1e-6;

    public sealed class BinaryRow
    {
        public bool Label;
        public float Score;
        public float Probability;
        public bool PredictedLabel;
    }

    public sealed class SingleLabelRow
    {
        public float Label;
        public float Score;
        public float Probability;
        public bool PredictedLabel;
    }

    // Predicted positive = score > 0, so TP = rows 0, 1; FN = row 2; FP = row 3; TN = rows 4, 5.
    private static BinaryRow[] HandRows() =>
    [
        new() { Label = true, Score = 2.0f, Probability = 0.8f, PredictedLabel = true },
        new() { Label = true, Score = 0.5f, Probability = 0.6f, PredictedLabel = true },
        new() { Label = true, Score = -1.0f, Probability = 0.25f },
        new() { Label = false, Score = 1.0f, Probability = 0.75f, PredictedLabel = true },
        new() { Label = false, Score = -0.5f, Probability = 0.4f },
        new() { Label = false, Score = -2.0f, Probability = 0.1f },
    ];

    private static BinaryRow[] ReferenceRows(string caseName)
    {
        var testCase = SklearnReference.Case(caseName);
        var labels = testCase.Booleans("label");
        var scores = testCase.Floats("score");
        var probabilities = testCase.Floats("probability");
        return labels.Select((label, i) => new BinaryRow
        {
            Label = label, Score = scores[i], Probability = probabilities[i], PredictedLabel = scores[i] > 0,
        }).ToArray();
    }

    [Fact]
    public void Hand_computed_counting_and_ranking_metrics()
    {
        var ml = new MLContext(1);
        var metrics = ml.BinaryClassification.Evaluate(ml.Data.LoadFromEnumerable(HandRows()));

        // TP = 2, FN = 1, FP = 1, TN = 2.
        metrics.Accuracy.Should().BeApproximately(4.0 / 6, Tolerance);
        metrics.PositivePrecision.Should().BeApproximately(2.0 / 3, Tolerance);
        metrics.PositiveRecall.Should().BeApproximately(2.0 / 3, Tolerance);
        metrics.NegativePrecision.Should().BeApproximately(2.0 / 3, Tolerance);
        metrics.NegativeRecall.Should().BeApproximately(2.0 / 3, Tolerance);
        metrics.F1Score.Should().BeApproximately(2.0 / 3, Tolerance);
        // Positive scores {2, 0.5, -1} against negative {1, -0.5, -2}: 2 beats 3, 0.5 beats 2, -1 beats 1; 6 of 9 pairs.
        metrics.AreaUnderRocCurve.Should().BeApproximately(6.0 / 9, Tolerance);
        // Descending: 2 T, 1 F, 0.5 T, -0.5 F, -1 T, -2 F. Each positive adds dRecall * (precision before + after) / 2:
        // 1/3 * (1 + 1)/2 + 1/3 * (1/2 + 2/3)/2 + 1/3 * (1/2 + 3/5)/2 = 60/180 + 35/180 + 33/180 = 32/45.
        metrics.AreaUnderPrecisionRecallCurve.Should().BeApproximately(32.0 / 45, Tolerance);
        metrics.ConfusionMatrix.Counts.Select(row => row.ToArray()).Should().BeEquivalentTo(
            new[] { new double[] { 2, 1 }, new double[] { 1, 2 } }, o => o.WithStrictOrdering());
    }

    [Fact]
    public void Hand_computed_log_loss_is_in_bits()
    {
        var ml = new MLContext(1);
        var metrics = ml.BinaryClassification.Evaluate(ml.Data.LoadFromEnumerable(HandRows()));

        // Positives: -log2 0.8 - log2 0.6 - log2 0.25 (= 2); negatives: -log2(1 - 0.75) (= 2) - log2 0.6 - log2 0.9.
        double logLoss = (-Math.Log2(0.8) - 2 * Math.Log2(0.6) + 4 - Math.Log2(0.9)) / 6;
        metrics.LogLoss.Should().BeApproximately(logLoss, Tolerance);
        // Half the rows are positive: the prior's log-loss is 1 bit.
        metrics.Entropy.Should().BeApproximately(1, Tolerance);
        metrics.LogLossReduction.Should().BeApproximately((1 - logLoss) / 1, Tolerance);
    }

    [Fact]
    public void Single_labels_above_zero_are_positive()
    {
        var ml = new MLContext(1);
        var rows = HandRows().Select(r => new SingleLabelRow
        {
            Label = r.Label ? 3 : -1, Score = r.Score, Probability = r.Probability, PredictedLabel = r.PredictedLabel,
        });
        var fromSingle = ml.BinaryClassification.Evaluate(ml.Data.LoadFromEnumerable(rows));
        var fromBoolean = ml.BinaryClassification.Evaluate(ml.Data.LoadFromEnumerable(HandRows()));

        fromSingle.Should().BeEquivalentTo(fromBoolean);
    }

    [Fact]
    public void Non_calibrated_evaluation_gives_the_same_ranking_and_counting_metrics()
    {
        var ml = new MLContext(1);
        var data = ml.Data.LoadFromEnumerable(HandRows());
        var calibrated = ml.BinaryClassification.Evaluate(data);
        var plain = ml.BinaryClassification.EvaluateNonCalibrated(data);

        plain.Should().NotBeOfType<CalibratedBinaryClassificationMetrics>();
        plain.Should().BeEquivalentTo((BinaryClassificationMetrics)calibrated, o => o.ExcludingMissingMembers());
    }

    [Fact]
    public void Matches_scikit_learn_and_its_documented_differences()
    {
        var ml = new MLContext(1);
        var reference = SklearnReference.Case("binary");
        var metrics = ml.BinaryClassification.Evaluate(ml.Data.LoadFromEnumerable(ReferenceRows("binary")));

        metrics.Accuracy.Should().BeApproximately(reference.Expected("accuracy"), Tolerance);
        metrics.AreaUnderRocCurve.Should().BeApproximately(reference.Expected("roc_auc"), Tolerance);
        metrics.F1Score.Should().BeApproximately(reference.Expected("f1"), Tolerance);
        metrics.PositivePrecision.Should().BeApproximately(reference.Expected("positive_precision"), Tolerance);
        metrics.PositiveRecall.Should().BeApproximately(reference.Expected("positive_recall"), Tolerance);
        metrics.NegativePrecision.Should().BeApproximately(reference.Expected("negative_precision"), Tolerance);
        metrics.NegativeRecall.Should().BeApproximately(reference.Expected("negative_recall"), Tolerance);
        metrics.ConfusionMatrix.Counts.Select(row => row.ToArray()).Should().BeEquivalentTo(
            reference.ExpectedMatrix("confusion_positive_first"), o => o.WithStrictOrdering());

        // ML.NET's log-losses are in bits, scikit-learn's in nats.
        metrics.LogLoss.Should().BeApproximately(reference.Expected("log_loss_nats") / SklearnReference.Ln2, Tolerance);
        metrics.Entropy.Should().BeApproximately(reference.Expected("prior_log_loss_nats") / SklearnReference.Ln2, Tolerance);
        metrics.LogLossReduction.Should().BeApproximately(
            1 - reference.Expected("log_loss_nats") / reference.Expected("prior_log_loss_nats"), Tolerance);

        // ML.NET's AUPRC is the trapezoid under the precision-recall curve, not average precision.
        metrics.AreaUnderPrecisionRecallCurve.Should().BeApproximately(reference.Expected("pr_curve_trapezoid"), Tolerance);
        Math.Abs(metrics.AreaUnderPrecisionRecallCurve - reference.Expected("average_precision")).Should().BeGreaterThan(1e-3);
    }

    [Fact]
    public void Tied_scores_count_one_half_in_the_area_under_the_roc_curve()
    {
        var ml = new MLContext(1);
        var reference = SklearnReference.Case("binary_ties");
        var metrics = ml.BinaryClassification.Evaluate(ml.Data.LoadFromEnumerable(ReferenceRows("binary_ties")));

        metrics.AreaUnderRocCurve.Should().BeApproximately(reference.Expected("roc_auc"), Tolerance);
        metrics.Accuracy.Should().BeApproximately(reference.Expected("accuracy"), Tolerance);
        metrics.LogLoss.Should().BeApproximately(reference.Expected("log_loss_nats") / SklearnReference.Ln2, Tolerance);
    }

    [Fact]
    public void Every_tie_between_classes_gives_an_area_of_one_half()
    {
        var ml = new MLContext(1);
        var rows = new BinaryRow[]
        {
            new() { Label = true, Score = 1, Probability = 0.5f },
            new() { Label = false, Score = 1, Probability = 0.5f },
            new() { Label = true, Score = -1, Probability = 0.5f },
            new() { Label = false, Score = -1, Probability = 0.5f },
        };
        // Pairs (positive, negative): (1, 1) tie = 1/2, (1, -1) win = 1, (-1, 1) loss = 0, (-1, -1) tie = 1/2; 2 of 4.
        ml.BinaryClassification.Evaluate(ml.Data.LoadFromEnumerable(rows)).AreaUnderRocCurve.Should().BeApproximately(0.5, Tolerance);
    }

    [Fact]
    public void Missing_or_mistyped_columns_are_named()
    {
        var ml = new MLContext(1);
        var data = ml.Data.LoadFromEnumerable(HandRows());

        FluentActions.Invoking(() => ml.BinaryClassification.Evaluate(data, labelColumnName: "Truth"))
            .Should().Throw<ArgumentOutOfRangeException>().WithMessage("Could not find label column 'Truth'*")
            .And.ParamName.Should().Be("labelColumnName");
        FluentActions.Invoking(() => ml.BinaryClassification.Evaluate(data, probabilityColumnName: "Score2"))
            .Should().Throw<ArgumentOutOfRangeException>().And.ParamName.Should().Be("probabilityColumnName");
        FluentActions.Invoking(() => ml.BinaryClassification.EvaluateNonCalibrated(data, predictedLabelColumnName: "Nope"))
            .Should().Throw<ArgumentOutOfRangeException>().And.ParamName.Should().Be("predictedLabelColumnName");
        FluentActions.Invoking(() => ml.BinaryClassification.Evaluate(data, scoreColumnName: "Label"))
            .Should().Throw<ArgumentOutOfRangeException>()
            .WithMessage("Schema mismatch for score column 'Label': expected Single, got Boolean*")
            .And.ParamName.Should().Be("scoreColumnName");
        FluentActions.Invoking(() => ml.BinaryClassification.Evaluate(data, predictedLabelColumnName: "Score"))
            .Should().Throw<ArgumentOutOfRangeException>().WithMessage("*predicted label column 'Score': expected Boolean, got Single*");
    }

    [Fact]
    public void Bad_values_are_reported_with_column_and_row()
    {
        var ml = new MLContext(1);
        var nanLabel = HandRows().Select(r => new SingleLabelRow { Label = r.Label ? 1 : 0, Score = r.Score, Probability = r.Probability }).ToArray();
        nanLabel[2].Label = float.NaN;
        FluentActions.Invoking(() => ml.BinaryClassification.Evaluate(ml.Data.LoadFromEnumerable(nanLabel)))
            .Should().Throw<ArgumentException>().WithMessage("*label column 'Label' at row 2*NaN*").And.ParamName.Should().Be("data");

        var nanScore = HandRows();
        nanScore[4].Score = float.NaN;
        FluentActions.Invoking(() => ml.BinaryClassification.EvaluateNonCalibrated(ml.Data.LoadFromEnumerable(nanScore)))
            .Should().Throw<ArgumentException>().WithMessage("*score column 'Score' at row 4*NaN*");

        var badProbability = HandRows();
        badProbability[1].Probability = 1.5f;
        FluentActions.Invoking(() => ml.BinaryClassification.Evaluate(ml.Data.LoadFromEnumerable(badProbability)))
            .Should().Throw<ArgumentException>().WithMessage("*probability column 'Probability' at row 1*1.5*[0, 1]*");
    }

    [Fact]
    public void Empty_data_and_a_single_class_are_refused()
    {
        var ml = new MLContext(1);
        FluentActions.Invoking(() => ml.BinaryClassification.Evaluate(ml.Data.LoadFromEnumerable(Array.Empty<BinaryRow>())))
            .Should().Throw<ArgumentException>().WithMessage("*no rows*");
        var positivesOnly = HandRows().Where(r => r.Label).ToArray();
        FluentActions.Invoking(() => ml.BinaryClassification.Evaluate(ml.Data.LoadFromEnumerable(positivesOnly)))
            .Should().Throw<ArgumentException>().WithMessage("*no negative class*'Label'*");
        var negativesOnly = HandRows().Where(r => !r.Label).ToArray();
        FluentActions.Invoking(() => ml.BinaryClassification.EvaluateNonCalibrated(ml.Data.LoadFromEnumerable(negativesOnly)))
            .Should().Throw<ArgumentException>().WithMessage("*no positive class*'Label'*");
    }

    [Fact]
    public void Binary_confusion_table_is_formatted_as_in_ML_NET()
    {
        var ml = new MLContext(1);
        var matrix = ml.BinaryClassification.Evaluate(ml.Data.LoadFromEnumerable(HandRows())).ConfusionMatrix;

        matrix.NumberOfClasses.Should().Be(2);
        matrix.PredictedClassesIndicators.Select(n => n.ToString()).Should().Equal("positive", "negative");
        matrix.GetCountForClassPair(predictedClassIndicatorIndex: 0, actualClassIndicatorIndex: 1).Should().Be(1);
        string[] lines =
        [
            "TEST POSITIVE RATIO:\t0.5000 (3.0/(3.0+3.0))",
            "Confusion table",
            "          ||======================",
            "PREDICTED || positive | negative | Recall",
            "TRUTH     ||======================",
            " positive ||        2 |        1 | 0.6667",
            " negative ||        1 |        2 | 0.6667",
            "          ||======================",
            "Precision ||   0.6667 |   0.6667 |",
        ];
        matrix.GetFormattedConfusionTable().Should().Be(string.Join(Environment.NewLine, lines) + Environment.NewLine);
    }
}
