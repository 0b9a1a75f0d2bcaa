using FluentAssertions;

namespace MLNetExt.Data.Tests.Evaluation;

public class RegressionEvaluateTests
{
    private const double Tolerance = 1e-6;

    public sealed class RegressionRow
    {
        public float Label;
        public float Score;
    }

    public sealed class DoubleScoreRow
    {
        public float Label;
        public double Score;
    }

    private static IDataView Load(MLContext ml, float[] labels, float[] scores) =>
        ml.Data.LoadFromEnumerable(labels.Select((label, i) => new RegressionRow { Label = label, Score = scores[i] }));

    [Fact]
    public void Hand_computed_metrics()
    {
        var ml = new MLContext(1);
        var metrics = ml.Regression.Evaluate(Load(ml, [1, 2, 3, 4], [1.5f, 2, 2, 5]));

        // Errors y - s: -0.5, 0, 1, -1.
        metrics.MeanAbsoluteError.Should().BeApproximately(2.5 / 4, Tolerance);
        metrics.MeanSquaredError.Should().BeApproximately(2.25 / 4, Tolerance);
        metrics.RootMeanSquaredError.Should().BeApproximately(0.75, Tolerance);
        metrics.LossFunction.Should().BeApproximately(2.25 / 4, Tolerance);
        // Mean label 2.5; squared deviations 2.25 + 0.25 + 0.25 + 2.25 = 5; R² = 1 - 2.25 / 5.
        metrics.RSquared.Should().BeApproximately(0.55, Tolerance);
    }

    [Fact]
    public void R_squared_stays_accurate_for_labels_far_from_zero()
    {
        var ml = new MLContext(1);
        // The same labels and errors as the hand-computed case, shifted by 10000: R² does not change.
        var metrics = ml.Regression.Evaluate(Load(ml, [10001, 10002, 10003, 10004], [10001.5f, 10002, 10002, 10005]));
        metrics.RSquared.Should().BeApproximately(0.55, Tolerance);
    }

    [Fact]
    public void Matches_scikit_learn()
    {
        var ml = new MLContext(1);
        var reference = SklearnReference.Case("regression");
        var metrics = ml.Regression.Evaluate(Load(ml, reference.Floats("label"), reference.Floats("score")));

        metrics.MeanAbsoluteError.Should().BeApproximately(reference.Expected("mae"), Tolerance);
        metrics.MeanSquaredError.Should().BeApproximately(reference.Expected("mse"), Tolerance);
        metrics.RootMeanSquaredError.Should().BeApproximately(Math.Sqrt(reference.Expected("mse")), Tolerance);
        metrics.LossFunction.Should().BeApproximately(reference.Expected("mse"), Tolerance);
        metrics.RSquared.Should().BeApproximately(reference.Expected("r2"), Tolerance);
    }

    [Fact]
    public void Bad_columns_and_values_are_refused_clearly()
    {
        var ml = new MLContext(1);
        FluentActions.Invoking(() => ml.Regression.Evaluate(ml.Data.LoadFromEnumerable(new[] { new DoubleScoreRow() })))
            .Should().Throw<ArgumentOutOfRangeException>().WithMessage("*score column 'Score': expected Single, got Double*")
            .And.ParamName.Should().Be("scoreColumnName");
        FluentActions.Invoking(() => ml.Regression.Evaluate(Load(ml, [1, 2], [1, 2]), labelColumnName: "Target"))
            .Should().Throw<ArgumentOutOfRangeException>().WithMessage("Could not find label column 'Target'*");
        FluentActions.Invoking(() => ml.Regression.Evaluate(Load(ml, [1, float.NaN], [1, 2])))
            .Should().Throw<ArgumentException>().WithMessage("*label column 'Label' at row 1*NaN*");
        FluentActions.Invoking(() => ml.Regression.Evaluate(Load(ml, [1, 2, 3], [1, 2, float.NegativeInfinity])))
            .Should().Throw<ArgumentException>().WithMessage("*score column 'Score' at row 2*finite*");
        FluentActions.Invoking(() => ml.Regression.Evaluate(Load(ml, [], [])))
            .Should().Throw<ArgumentException>().WithMessage("*no rows*");
    }
}
