using System.Diagnostics;
using System.Globalization;
using Spectre.Console;

namespace MLNetExt.Cli.Commands;

/// <summary>
/// Shows the epochs of a word-embedding trainer: a Spectre.Console progress bar on an interactive terminal, or one
/// plain line per epoch when the output is redirected or <c>--no-progress</c> is given.
/// </summary>
internal static class EmbeddingTrainingDisplay
{
    /// <summary>
    /// Runs <paramref name="train"/> with a progress receiver; <paramref name="describe"/> turns a report into its
    /// epoch, epoch count and a summary such as "alpha 0.0201".
    /// </summary>
    public static T Run<TReport, T>(IAnsiConsole console, bool interactive, Func<TReport, (int Epoch, int Epochs, string Summary)> describe,
        Func<IProgress<TReport>, T> train)
    {
        var clock = Stopwatch.StartNew();
        if (!interactive)
            return train(new Receiver<TReport>(report =>
            {
                var (epoch, epochs, summary) = describe(report);
                console.WriteLine($"epoch {epoch}/{epochs}  {summary}  elapsed {Clock(clock.Elapsed)}");
            }));
        return console.Progress()
            .AutoClear(false)
            .Columns(new TaskDescriptionColumn { Alignment = Justify.Left }, new ProgressBarColumn(), new PercentageColumn(), new SpinnerColumn())
            .Start(context =>
            {
                var task = context.AddTask("Training", maxValue: 1);
                var result = train(new Receiver<TReport>(report =>
                {
                    var (epoch, epochs, summary) = describe(report);
                    task.MaxValue = epochs;
                    task.Value = epoch;
                    task.Description = Markup.Escape($"epoch {epoch}/{epochs}  {summary}  elapsed {Clock(clock.Elapsed)}");
                }));
                task.StopTask();
                return result;
            });
    }

    private static string Clock(TimeSpan time) => time.TotalHours >= 1
        ? time.ToString(@"h\:mm\:ss", CultureInfo.InvariantCulture)
        : time.ToString(@"m\:ss", CultureInfo.InvariantCulture);

    /// <summary>Hands each report to a callback synchronously, on the reporting thread.</summary>
    private sealed class Receiver<TReport>(Action<TReport> onReport) : IProgress<TReport>
    {
        public void Report(TReport value) => onReport(value);
    }
}
