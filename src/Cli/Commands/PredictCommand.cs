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
/// </summary>
internal static class PredictCommand
{
    public static Command Create(CliEnvironment environment)
    {
        var dataset = new DatasetOptions();
        var model = new Option<FileInfo>("--model", "-m") { Description = "The model file saved by 'mlnetext train', 'mlnetext sequence' or 'mlnetext anomaly'.", Required = true };
        var output = new Option<FileInfo?>("--output", "-o") { Description = "Where to write the predictions (CSV); default: standard output." };
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
            var scored = parse.GetValue(series) is null ? new RowLineDataView(ModelParts.Apply(steps, data), header) : ModelParts.Apply(steps, data);
            var prediction = ModelOutput.Of(scored.Schema, modelPath);
            string? outputPath = parse.GetValue(output)?.FullName;
            if (outputPath is null)
            {
                PredictionWriter.Write(scored, prediction, Console.Out);
            }
            else
            {
                int rows;
                using (var writer = new StreamWriter(outputPath))
                    rows = PredictionWriter.Write(scored, prediction, writer);
                environment.Console.WriteLine($"Wrote {rows} prediction(s) to {outputPath}.");
            }
            return 0;
        });
        return command;
    }
}
