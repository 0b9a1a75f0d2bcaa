using System.Diagnostics;

namespace MLNetExt.Trainers.DeepLearning;

/// <summary>
/// What the training loops tell their caller: <see cref="TrainingProgress"/> reports with the elapsed time and an
/// estimate of what remains (by the share of the NumberOfEpochs × batches-per-epoch steps done), at most every
/// <see cref="Interval"/> within an epoch and once at each epoch's end; and the error that ends a diverged run.
/// </summary>
internal sealed class TrainingReporter(DeepTrainerOptions options)
{
    /// <summary>The least time between two reports within an epoch.</summary>
    public static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(200);

    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private TimeSpan _lastReport;

    /// <summary>The time since the run started.</summary>
    public TimeSpan Elapsed => _clock.Elapsed;

    /// <summary>Reports a batch within an epoch, unless one was reported less than <see cref="Interval"/> ago.</summary>
    public void BatchEnd(int epoch, int batch, int batchesPerEpoch, double trainingLoss, double learningRate)
    {
        if (options.Progress is null || _clock.Elapsed - _lastReport < Interval || batch >= batchesPerEpoch)
            return;
        Report(epoch, batch, batchesPerEpoch, trainingLoss, null, null, null, learningRate, isEpochEnd: false);
    }

    /// <summary>Reports an epoch's end, with its validation loss and metric when there are validation rows.</summary>
    public void EpochEnd(int epoch, int batchesPerEpoch, double trainingLoss, double? validationLoss, double? validationMetric, string? metricName, double learningRate)
        => Report(epoch, batchesPerEpoch, batchesPerEpoch, trainingLoss, validationLoss, validationMetric, metricName, learningRate, isEpochEnd: true);

    private void Report(int epoch, int batch, int batchesPerEpoch, double trainingLoss, double? validationLoss, double? validationMetric, string? metricName,
        double learningRate, bool isEpochEnd)
    {
        _lastReport = _clock.Elapsed;
        if (options.Progress is null)
            return;
        var elapsed = _clock.Elapsed;
        long done = (long)(epoch - 1) * batchesPerEpoch + batch, total = (long)options.NumberOfEpochs * batchesPerEpoch;
        options.Progress.Report(new TrainingProgress
        {
            Epoch = epoch,
            TotalEpochs = options.NumberOfEpochs,
            Batch = batch,
            BatchesPerEpoch = batchesPerEpoch,
            IsEpochEnd = isEpochEnd,
            TrainingLoss = trainingLoss,
            ValidationLoss = validationLoss,
            ValidationMetric = validationLoss is null ? null : validationMetric,
            MetricName = metricName,
            LearningRate = learningRate,
            Elapsed = elapsed,
            EstimatedRemaining = TimeSpan.FromTicks((long)(elapsed.Ticks / (double)done * (total - done))),
        });
    }

    /// <summary>
    /// The error that ends a run whose loss is not a finite number ("Training diverged at epoch E, batch B: loss was
    /// NaN; try a lower LearningRate (it is …) or set GradientClipNorm. …"); the caller restores the best weights first.
    /// </summary>
    public InvalidOperationException Diverged(int epoch, int batch, double loss, bool onValidation = false)
    {
        string value = double.IsNaN(loss) ? "NaN" : loss > 0 ? "+Infinity" : "-Infinity";
        string where = onValidation ? "validation loss" : "loss";
        return new InvalidOperationException(
            $"Training diverged at epoch {epoch}, batch {batch}: {where} was {value}; try a lower LearningRate (it is {options.LearningRate}) or set GradientClipNorm. The model's weights were restored to the best epoch so far.");
    }
}
