using MLNetExt.Trainers.DeepLearning;
using MLNetExt.Trainers.Mlp;
using static MLNetExt.Estimators.Tests.Mlp.MlpData;

namespace MLNetExt.Estimators.Tests.DeepLearning;

public class DeepTrainingLoopTests
{
    /// <summary>Receives reports synchronously, as the trainers' documentation requires for acting on them.</summary>
    private sealed class Recorder(Action<TrainingProgress>? onReport = null) : IProgress<TrainingProgress>
    {
        public List<TrainingProgress> Reports { get; } = [];

        public void Report(TrainingProgress value)
        {
            Reports.Add(value);
            onReport?.Invoke(value);
        }
    }

    [Fact]
    public void ReportsEveryEpochWithLossesMetricAndTimes()
    {
        var ml = new MLContext(1);
        var recorder = new Recorder();
        var options = new MlpBinaryTrainer.Options { HiddenLayers = [8], NumberOfEpochs = 4, BatchSize = 16, Progress = recorder, Seed = 1, ValidationFraction = 0.25 };

        var model = ml.BinaryClassification.Trainers.Mlp(options).Fit(ml.Data.LoadFromEnumerable(Xor(100, 1)));

        var epochs = recorder.Reports.Where(r => r.IsEpochEnd).ToList();
        epochs.Select(r => r.Epoch).Should().Equal(1, 2, 3, 4);
        epochs.Should().AllSatisfy(r =>
        {
            r.TotalEpochs.Should().Be(4);
            r.BatchesPerEpoch.Should().Be(5, "75 training rows in batches of 16");
            r.Batch.Should().Be(5);
            r.TrainingLoss.Should().BePositive();
            r.ValidationLoss.Should().BePositive();
            r.ValidationMetric.Should().BeInRange(0, 1);
            r.MetricName.Should().Be("accuracy");
            r.LearningRate.Should().Be(0.01);
        });
        epochs[^1].EstimatedRemaining.Should().Be(TimeSpan.Zero);
        epochs.Select(r => r.Elapsed).Should().BeInAscendingOrder();
        model.TrainingResult!.Should().Match<DeepTrainingResult>(r => r.ValidationRowCount == 25 && r.TrainingRowCount == 75 && r.StopReason == TrainingStopReason.Completed);
    }

    [Fact]
    public void CancellingFromTheProgressCallbackAfterEpochTwoThrowsWithTheBestModelSoFar()
    {
        var ml = new MLContext(1);
        using var cancellation = new CancellationTokenSource();
        var recorder = new Recorder(report =>
        {
            if (report.IsEpochEnd && report.Epoch == 2)
                cancellation.Cancel();
        });
        var options = new MlpBinaryTrainer.Options
        {
            HiddenLayers = [8], NumberOfEpochs = 50, Progress = recorder, CancellationToken = cancellation.Token, Seed = 1,
        };
        var data = ml.Data.LoadFromEnumerable(Xor(200, 1));

        var thrown = FluentActions.Invoking(() => ml.BinaryClassification.Trainers.Mlp(options).Fit(data))
            .Should().Throw<TrainingCanceledException>().Which;

        thrown.Should().BeAssignableTo<OperationCanceledException>();
        thrown.CancellationToken.Should().Be(cancellation.Token);
        thrown.Result.StopReason.Should().Be(TrainingStopReason.Canceled);
        thrown.Result.EpochsCompleted.Should().Be(2, "the token is checked before the first batch of epoch 3");
        var best = recorder.Reports.Where(r => r.IsEpochEnd).MinBy(r => r.ValidationLoss)!;
        thrown.Result.BestEpoch.Should().Be(best.Epoch);
        thrown.Result.BestLoss.Should().Be(best.ValidationLoss!.Value);
        var partial = thrown.PartialModel.Should().BeOfType<MlpPredictionTransformer>().Which;
        ml.BinaryClassification.Evaluate(partial.Transform(data)).Accuracy.Should().BeInRange(0, 1, "the partial model scores data");
        thrown.Message.Should().Contain($"epoch {best.Epoch}");
    }

    [Fact]
    public void AbsurdLearningRateDivergesWithAClearErrorAndRestoredWeights()
    {
        var ml = new MLContext(1);
        var options = new MlpRegressionTrainer.Options { HiddenLayers = [16], NumberOfEpochs = 50, LearningRate = 1e30, Optimizer = DeepOptimizer.Sgd, Seed = 1 };
        var rows = Surface(64, 1);
        foreach (var row in rows)
            row.Label *= 1e6f;

        FluentActions.Invoking(() => ml.Regression.Trainers.Mlp(options).Fit(ml.Data.LoadFromEnumerable(rows)))
            .Should().Throw<InvalidOperationException>()
            .WithMessage("Training diverged at epoch *, batch *: loss was *; try a lower LearningRate*");
    }

    [Fact]
    public void EarlyStoppingStopsAfterPatienceAndRestoresTheBestEpoch()
    {
        var ml = new MLContext(1);
        var recorder = new Recorder();
        var options = new MlpBinaryTrainer.Options
        {
            HiddenLayers = [64, 64], NumberOfEpochs = 200, LearningRate = 0.05, EarlyStoppingPatience = 3, ValidationFraction = 0.3, Progress = recorder, Seed = 2,
        };
        var rows = Xor(60, 3);
        var random = new Core.RandomSource(9);
        foreach (var row in rows.Where(_ => random.NextSingle() < 0.3f))
            row.Label = !row.Label;

        var model = ml.BinaryClassification.Trainers.Mlp(options).Fit(ml.Data.LoadFromEnumerable(rows));

        var result = model.TrainingResult!;
        result.StopReason.Should().Be(TrainingStopReason.EarlyStopped, "noisy labels make the validation loss stop improving");
        result.EpochsCompleted.Should().Be(result.BestEpoch + 3);
        var epochs = recorder.Reports.Where(r => r.IsEpochEnd).ToList();
        result.BestLoss.Should().Be(epochs.Min(r => r.ValidationLoss!.Value));
    }

    [Theory]
    [InlineData(DeepOptimizer.Adam, LearningRateSchedule.Step)]
    [InlineData(DeepOptimizer.AdamW, LearningRateSchedule.Exponential)]
    [InlineData(DeepOptimizer.Sgd, LearningRateSchedule.ReduceOnPlateau)]
    public void OptimizersAndSchedulesTrainAndDecayTheRate(DeepOptimizer optimizer, LearningRateSchedule schedule)
    {
        var ml = new MLContext(1);
        var recorder = new Recorder();
        var options = new MlpBinaryTrainer.Options
        {
            HiddenLayers = [16], NumberOfEpochs = 12, Optimizer = optimizer, LearningRateSchedule = schedule, LearningRateStepSize = 1,
            LearningRate = 0.05, GradientClipNorm = 1, EarlyStoppingPatience = 0, Progress = recorder, Seed = 5,
        };
        var data = ml.Data.LoadFromEnumerable(Xor(300, 4));

        var model = ml.BinaryClassification.Trainers.Mlp(options).Fit(data);

        var epochs = recorder.Reports.Where(r => r.IsEpochEnd).ToList();
        epochs[0].LearningRate.Should().Be(0.05);
        if (schedule != LearningRateSchedule.ReduceOnPlateau)
            epochs[^1].LearningRate.Should().BeLessThan(0.05);
        epochs[^1].TrainingLoss.Should().BeLessThan(epochs[0].TrainingLoss);
        model.TrainingResult!.EpochsCompleted.Should().Be(12);
    }
}
