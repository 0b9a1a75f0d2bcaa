using FluentAssertions;
using MLNetExt.Core.Modules;
using MLNetExt.Core.Training;

namespace MLNetExt.Core.Tests.Training;

public class EarlyStoppingTests
{
    [Fact]
    public void Stops_after_patience_checks_without_improvement()
    {
        var stopping = new EarlyStopping(patience: 3);
        double[] losses = [1.0, 0.8, 0.9, 0.85, 0.7, 0.75, 0.71, 0.72];
        var stoppedAt = -1;
        for (int i = 0; i < losses.Length && stoppedAt < 0; i++)
            if (stopping.Report(losses[i])) stoppedAt = i;
        stoppedAt.Should().Be(7);
        stopping.Best.Should().Be(0.7);
        stopping.BestCheck.Should().Be(4);
        var again = () => stopping.Report(0.1);
        again.Should().Throw<InvalidOperationException>();
    }

    [Fact]
    public void MinDelta_and_max_mode_decide_what_counts_as_improvement()
    {
        var stopping = new EarlyStopping(patience: 2, minDelta: 0.05, mode: MetricMode.Max);
        stopping.Report(0.50).Should().BeFalse();
        stopping.Report(0.54).Should().BeFalse();
        stopping.Report(0.56).Should().BeFalse();
        stopping.Best.Should().Be(0.56);
        stopping.Report(0.60).Should().BeFalse();
        stopping.Report(0.61).Should().BeTrue();
        stopping.Best.Should().Be(0.56);
    }

    [Fact]
    public void Restores_the_best_weights_on_stopping()
    {
        var model = new Sequential(new Linear(3, 2, random: new RandomSource(1)), new Linear(2, 1, random: new RandomSource(2)));
        var stopping = new EarlyStopping(patience: 2, restoreBestWeightsOf: model);
        stopping.HasSnapshot.Should().BeFalse();
        double[] losses = [0.9, 0.5, 0.6, 0.7];
        float[][]? best = null;
        for (int i = 0; i < losses.Length; i++)
        {
            foreach (var p in model.Parameters()) p.Span[0] += 1f;
            if (i == 1) best = model.Parameters().Select(p => p.Span.ToArray()).ToArray();
            bool stop = stopping.Report(losses[i]);
            stop.Should().Be(i == 3);
        }
        var restored = model.Parameters().Select(p => p.Span.ToArray()).ToArray();
        restored.Should().BeEquivalentTo(best, options => options.WithStrictOrdering());
    }

    [Fact]
    public void Without_a_module_there_is_nothing_to_restore()
    {
        var stopping = new EarlyStopping(patience: 1);
        stopping.Report(1.0);
        stopping.RestoreBestWeights().Should().BeFalse();
    }

    [Fact]
    public void Invalid_options_name_the_option()
    {
        ((Action)(() => new EarlyStopping(0))).Should().Throw<ArgumentOutOfRangeException>().Which.ParamName.Should().Be("patience");
        ((Action)(() => new EarlyStopping(1, minDelta: -0.1))).Should().Throw<ArgumentOutOfRangeException>().Which.ParamName.Should().Be("minDelta");
    }
}
