using FluentAssertions;
using MLNetExt.Core.Optim;
using MLNetExt.Core.Schedules;
using MLNetExt.Core.Training;
using MLNetExt.Core.Tests.Infrastructure;

namespace MLNetExt.Core.Tests.Schedules;

public class ScheduleTests
{
    public static TheoryData<string> TorchSequences => new() { "step", "exponential", "cosine", "linear", "power", "piecewise", "tenfold" };

    // Equivalents of the torch schedulers in Reference/generate_optim.py (LambdaLR stands in where torch has none).
    private static ILearningRateSchedule Create(string name) => name switch
    {
        "step" => new StepLR(stepSize: 4, gamma: 0.5),
        "exponential" => new ExponentialLR(gamma: 0.9),
        "cosine" => new CosineAnnealingLR(tMax: 10, etaMin: 0.001),
        "linear" => new LinearDecayLR(totalSteps: 12, finalLearningRate: 0.01),
        "power" => new PowerLR(k: 5, c: 1.5),
        "piecewise" => new PiecewiseConstantLR([5, 12], [0.1, 0.05, 0.01]),
        "tenfold" => ExponentialLR.TenfoldEvery(8),
        _ => throw new ArgumentOutOfRangeException(nameof(name), name, "Unknown case."),
    };

    [Theory]
    [MemberData(nameof(TorchSequences))]
    public void Scheduler_sequence_matches_torch(string name)
    {
        var reference = ReferenceData.Load("optim/schedules.json");
        var expected = reference.Values(name);
        expected.Length.Should().BeGreaterThan(20);
        var optimizer = new Sgd([new Tensor(1)], lr: reference.Meta("initial_lr"));
        var scheduler = new LearningRateScheduler(optimizer, Create(name));
        var actual = new float[expected.Length];
        for (int t = 0; t < expected.Length; t++)
        {
            scheduler.CurrentStep.Should().Be(t);
            actual[t] = (float)optimizer.LearningRate;
            optimizer.Step();
            scheduler.Step();
        }
        TensorAssert.Close(actual, expected, rtol: 1e-6, atol: 1e-12, what: $"{name} learning rates");
    }

    [Fact]
    public void Closed_forms_follow_the_course_formulas()
    {
        new PowerLR(k: 10, c: 1).LearningRateAt(10, 0.2).Should().BeApproximately(0.1, 1e-15);
        ExponentialLR.TenfoldEvery(50).LearningRateAt(100, 1.0).Should().BeApproximately(0.01, 1e-15);
        new ExponentialLR(0.5, decaySteps: 2).LearningRateAt(3, 1.0).Should().BeApproximately(Math.Pow(0.5, 1.5), 1e-15);
        var linear = new LinearDecayLR(totalSteps: 4, finalLearningRate: 0.0);
        linear.LearningRateAt(1, 1.0).Should().BeApproximately(0.75, 1e-15);
        linear.LearningRateAt(9, 1.0).Should().Be(0.0);
        new CosineAnnealingLR(tMax: 10, etaMin: 0.1).LearningRateAt(10, 1.0).Should().BeApproximately(0.1, 1e-15);
        new PiecewiseConstantLR([3], [1.0, 0.5]).LearningRateAt(2, 7).Should().Be(1.0);
        new PiecewiseConstantLR([3], [1.0, 0.5]).LearningRateAt(3, 7).Should().Be(0.5);
    }

    [Fact]
    public void Invalid_schedule_options_name_the_option()
    {
        ((Action)(() => new StepLR(0))).Should().Throw<ArgumentOutOfRangeException>().Which.ParamName.Should().Be("stepSize");
        ((Action)(() => new StepLR(2, gamma: -1))).Should().Throw<ArgumentOutOfRangeException>().Which.ParamName.Should().Be("gamma");
        ((Action)(() => new ExponentialLR(0.9, decaySteps: 0))).Should().Throw<ArgumentOutOfRangeException>().Which.ParamName.Should().Be("decaySteps");
        ((Action)(() => new PowerLR(k: 0))).Should().Throw<ArgumentOutOfRangeException>().Which.ParamName.Should().Be("k");
        ((Action)(() => new LinearDecayLR(0, 0.1))).Should().Throw<ArgumentOutOfRangeException>().Which.ParamName.Should().Be("totalSteps");
        ((Action)(() => new CosineAnnealingLR(5, etaMin: -1))).Should().Throw<ArgumentOutOfRangeException>().Which.ParamName.Should().Be("etaMin");
        ((Action)(() => new PiecewiseConstantLR([5, 5], [1, 2, 3]))).Should().Throw<ArgumentOutOfRangeException>().Which.ParamName.Should().Be("boundaries");
        ((Action)(() => new PiecewiseConstantLR([5], [1]))).Should().Throw<ArgumentException>().Which.ParamName.Should().Be("values");
        ((Action)(() => new StepLR(2).LearningRateAt(-1, 0.1))).Should().Throw<ArgumentOutOfRangeException>().Which.ParamName.Should().Be("step");
    }

    public static TheoryData<string, MetricMode, double, int, double, ThresholdMode, int, double, double> PlateauCases => new()
    {
        { "min_rel", MetricMode.Min, 0.5, 2, 0.01, ThresholdMode.Relative, 1, 0.002, 1e-8 },
        { "max_abs", MetricMode.Max, 0.3, 1, 0.05, ThresholdMode.Absolute, 0, 0.0, 1e-8 },
        { "max_rel", MetricMode.Max, 0.5, 0, 0.02, ThresholdMode.Relative, 2, 0.01, 1e-8 },
        { "min_abs", MetricMode.Min, 0.2, 1, 0.01, ThresholdMode.Absolute, 0, 1e-4, 1e-3 },
        { "default", MetricMode.Min, 0.1, 3, 1e-4, ThresholdMode.Relative, 0, 0.0, 1e-8 },
    };

    [Theory]
    [MemberData(nameof(PlateauCases))]
    public void ReduceLROnPlateau_matches_torch(string name, MetricMode mode, double factor, int patience, double threshold,
        ThresholdMode thresholdMode, int cooldown, double minLr, double eps)
    {
        var reference = ReferenceData.Load($"optim/plateau_{name}.json");
        var metrics = reference.Values("metrics");
        var expected = reference.Values("lrs");
        var optimizer = new Sgd([new Tensor(1)], lr: 0.1);
        var scheduler = new ReduceLROnPlateau(optimizer, mode, factor, patience, threshold, thresholdMode, cooldown, minLr, eps);
        var actual = new float[metrics.Length];
        for (int i = 0; i < metrics.Length; i++)
        {
            scheduler.Step(metrics[i]);
            actual[i] = (float)optimizer.LearningRate;
        }
        TensorAssert.Close(actual, expected, rtol: 1e-6, atol: 1e-12, what: $"plateau {name} learning rates");
        expected.Distinct().Count().Should().BeGreaterThan(2, "the sequence must exercise several reductions");
    }

    [Fact]
    public void ReduceLROnPlateau_validates_options()
    {
        var optimizer = new Sgd([new Tensor(1)], lr: 0.1);
        ((Action)(() => new ReduceLROnPlateau(optimizer, factor: 1.0))).Should().Throw<ArgumentOutOfRangeException>().Which.ParamName.Should().Be("factor");
        ((Action)(() => new ReduceLROnPlateau(optimizer, patience: -1))).Should().Throw<ArgumentOutOfRangeException>().Which.ParamName.Should().Be("patience");
        ((Action)(() => new ReduceLROnPlateau(optimizer, threshold: -1))).Should().Throw<ArgumentOutOfRangeException>().Which.ParamName.Should().Be("threshold");
        ((Action)(() => new ReduceLROnPlateau(optimizer, cooldown: -1))).Should().Throw<ArgumentOutOfRangeException>().Which.ParamName.Should().Be("cooldown");
        ((Action)(() => new ReduceLROnPlateau(optimizer, minLr: -1))).Should().Throw<ArgumentOutOfRangeException>().Which.ParamName.Should().Be("minLr");
        ((Action)(() => new ReduceLROnPlateau(optimizer, eps: -1))).Should().Throw<ArgumentOutOfRangeException>().Which.ParamName.Should().Be("eps");
    }
}
