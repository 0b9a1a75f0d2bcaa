using System.CommandLine;
using MLNetExt.Cli.Data;
using MLNetExt.Cli.Output;
using Microsoft.ML;
using Microsoft.ML.Data;
using Spectre.Console;

namespace MLNetExt.Cli.Commands;

/// <summary>
/// <c>mlnetext predict</c>: scores a CSV/TSV file with any saved model and writes one CSV line of predictions per
/// row, to a file or standard output. The file needs the input columns scoring uses; the label may be absent. A
/// forecaster given <c>--series-col</c> forecasts after every window of a raw series (<see cref="SeriesWindows"/>).
/// A file is written atomically; Ctrl+C stops the predictions (exit code 130) and leaves an existing file as it was.
/// </summary>
internal static class PredictCommand
{
    public static Command Create(CliEnvironment environment)
    {
        var dataset = new DatasetOptions();
        var model = new Option<FileInfo>("--model", "-m") { Description = "The model file saved by 'mlnetext train', 'mlnetext sequence' or 'mlnetext anomaly'.", Required = true };
        var output = new Option<FileInfo?>("--output", "-o")
        {
            Description = "Where to write the predictions (CSV; replaced atomically: on a failure or Ctrl+C an existing file is left as it was); default: standard output.",
        };
        var series = new Option<string?>("--series-col")
        {
            Description = "For a forecaster: read this numeric column as a series in file order and forecast after every window of the model's size, "
                + "one line per window, oldest first; the last line is the forecast past the end of the series.",
        };
        var command = new Command("predict",
            "Score a CSV/TSV file with a saved model and write the predictions as CSV: PredictedLabel, Score and Probability, as the model writes them "
            + "(class labels as their values). A fixed-size vector gets one column per slot (Score.<class> for classifiers, Score.1, Score.2, ... for "
            + "the steps of a forecast); a variable-length one (a tagger's PredictedLabel and Score) one quoted field of values separated by spaces. "
            + "The file needs the columns the model scores from, by name (vector columns as numbers separated by spaces in one field); the label may be absent. "
            + "A forecaster also reads a raw series with --series-col.");
        command.Options.Add(model);
        dataset.AddTo(command);
        command.Options.Add(output);
        command.Options.Add(series);
        command.SetAction(parse =>
        {
            var ml = new MLContext(1);
            string modelPath = parse.GetValue(model)!.FullName;
            var header = dataset.ReadHeader(parse);
            var loaded = ModelParts.Load(ml, modelPath, out var inputSchema);
            var steps = ModelParts.Steps(loaded, TransformerScope.Scoring);
            var needed = ModelParts.ScoringInputs(steps, inputSchema);
            var data = parse.GetValue(series) is { } seriesName
                ? SeriesWindows.ForModel(ml, header, seriesName, inputSchema, modelPath, labels: false)
                : DatasetLoader.LoadForModel(ml, header, inputSchema, needed.Contains);
            IDataView scored = new FiniteScores(ModelParts.Apply(steps, data), modelPath);
            if (parse.GetValue(series) is null)
                scored = new RowLineDataView(scored, header);
            var prediction = ModelOutput.Of(scored.Schema, modelPath);
            string? outputPath = parse.GetValue(output)?.FullName;
            try
            {
                if (outputPath is null)
                {
                    PredictionWriter.Write(scored, prediction, Console.Out, environment.Cancellation);
                }
                else
                {
                    ModelParts.CheckFolder(outputPath, "--output");
                    int rows = 0;
                    // Atomic: a failure partway (a bad row late in the file, a full disk) or Ctrl+C leaves an existing
                    // file as it was and no temporary file; a second Ctrl+C waits for the write to end.
                    environment.WriteFile(outputPath, stream =>
                    {
                        // Closed before the stream is flushed to disk and renamed.
                        using var writer = new StreamWriter(stream, leaveOpen: true);
                        rows = PredictionWriter.Write(scored, prediction, writer, environment.Cancellation);
                    });
                    environment.Console.WriteLine($"Wrote {rows} prediction(s) to {outputPath}.");
                }
            }
            catch (OperationCanceledException) when (environment.Cancellation.IsCancellationRequested)
            {
                Console.Out.Flush();
                Console.Error.WriteLine(outputPath is null
                    ? "mlnetext: predict was canceled; the predictions above are incomplete."
                    : $"mlnetext: predict was canceled; {outputPath} was not written (an existing file is as it was).");
                return Interrupts.ExitCode;
            }
            return 0;
        });
        return command;
    }
}
