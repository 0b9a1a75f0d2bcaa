using System.Globalization;
using MLNetExt.Trainers.DeepLearning;
using Spectre.Console;

namespace MLNetExt.Cli.Output;

/// <summary>
/// Shows training progress: a Spectre.Console progress bar (epoch, loss, ETA) on an interactive terminal, or one
/// plain line per epoch when the output is redirected or <c>--no-progress</c> is given.
/// </summary>
internal static class TrainingDisplay
{
    /// <summary>Runs <paramref name="train"/>, giving it a progress receiver that draws on <paramref name="console"/>.</summary>
    public static T Run<T>(IAnsiConsole console, bool interactive, Func<IProgress<TrainingProgress>, T> train)
    {
        if (!interactive)
            return train(new Receiver(report =>
            {
                if (report.IsEpochEnd)
                    console.WriteLine(Line(report));
            }));
        return console.Progress()
            .AutoClear(false)
            .Columns(new TaskDescriptionColumn { Alignment = Justify.Left }, new ProgressBarColumn(), new PercentageColumn(), new SpinnerColumn())
            .Start(context =>
            {
                var task = context.AddTask("Training", maxValue: 1);
                var result = train(new Receiver(report =>
                {
                    task.MaxValue = (double)report.TotalEpochs * report.BatchesPerEpoch;
                    task.Value = (double)(report.Epoch - 1) * report.BatchesPerEpoch + report.Batch;
                    task.Description = Markup.Escape(Summary(report));
                }));
                task.StopTask();
                return result;
            });
    }

    /// <summary>"epoch 3/20  loss 0.4123  val loss 0.4012  accuracy 0.8750  lr 0.01  elapsed 0:01  eta 0:05".</summary>
    public static string Line(TrainingProgress report)
    {
        var text = new System.Text.StringBuilder(Summary(report));
        text.Append(CultureInfo.InvariantCulture, $"  lr {report.LearningRate:G3}  elapsed {Clock(report.Elapsed)}");
        return text.ToString();
    }

    private static string Summary(TrainingProgress report)
    {
        var text = new System.Text.StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"epoch {report.Epoch}/{report.TotalEpochs}  loss {report.TrainingLoss:F4}");
        if (report.ValidationLoss is { } validation)
            text.Append(CultureInfo.InvariantCulture, $"  val loss {validation:F4}");
        if (report.ValidationMetric is { } metric)
            text.Append(CultureInfo.InvariantCulture, $"  val {report.MetricName} {metric:F4}");
        text.Append(CultureInfo.InvariantCulture, $"  eta {Clock(report.EstimatedRemaining)}");
        return text.ToString();
    }

    private static string Clock(TimeSpan time) => time.TotalHours >= 1
        ? time.ToString(@"h\:mm\:ss", CultureInfo.InvariantCulture)
        : time.ToString(@"m\:ss", CultureInfo.InvariantCulture);

    /// <summary>Hands each report to a callback synchronously, on the training thread.</summary>
    private sealed class Receiver(Action<TrainingProgress> onReport) : IProgress<TrainingProgress>
    {
        public void Report(TrainingProgress value) => onReport(value);
    }
}
