using System.CommandLine;
using MLNetExt.Cli.Data;
using MLNetExt.Cli.Output;
using Microsoft.ML;
using Microsoft.ML.Data;
using Spectre.Console;

namespace MLNetExt.Cli.Commands;

/// <summary>
/// <c>mlnetext evaluate</c>: scores a labelled CSV/TSV file with any saved model and prints the metrics of its task.
/// The file is read with the model's saved input schema (every input column, label included, by name), or, for a
/// forecaster given <c>--series-col</c>, cut into the model's windows (<see cref="SeriesWindows"/>); the task comes
/// from the model's output columns (see <see cref="ModelOutput"/>), and the label is the column, derived from the
/// input columns scoring does not need, that fits that task.
/// </summary>
internal static class EvaluateCommand
{
    public static Command Create(CliEnvironment environment)
    {
        var dataset = new DatasetOptions();
        var model = new Option<FileInfo>("--model", "-m") { Description = "The model file saved by 'mlnetext train', 'mlnetext sequence' or 'mlnetext anomaly'.", Required = true };
        var series = new Option<string?>("--series-col")
        {
            Description = "For a forecaster: read this numeric column as a series in file order and evaluate on every window of the model's size "
                + "that has the model's horizon of values after it.",
        };
        var command = new Command("evaluate",
            "Evaluate a saved model on a labelled CSV/TSV file and print its metrics. The file needs every column the model was trained on, "
            + "by name (vector columns, such as a forecaster's Features and Label windows, as numbers separated by spaces in one field); "
            + "a forecaster also reads a raw series with --series-col.");
        command.Options.Add(model);
        dataset.AddTo(command);
        command.Options.Add(series);
        command.SetAction(parse =>
        {
            var ml = new MLContext(1);
            string modelPath = parse.GetValue(model)!.FullName;
            var header = dataset.ReadHeader(parse);
            var loaded = ModelParts.Load(ml, modelPath, out var inputSchema);
            var steps = ModelParts.Steps(loaded, TransformerScope.Testing);
            string? seriesName = parse.GetValue(series);
            var data = seriesName is not null
                ? SeriesWindows.ForModel(ml, header, seriesName, inputSchema, modelPath, labels: true)
                : DatasetLoader.LoadForModel(ml, header, inputSchema, _ => true);
            IDataView scored = new FiniteScores(ModelParts.Apply(steps, data), modelPath);
            if (seriesName is null)
                scored = new RowLineDataView(scored, header);
            var output = ModelOutput.Of(scored.Schema, modelPath);
            string label = LabelColumn(steps, inputSchema, output, modelPath);
            environment.Console.WriteLine($"Model: {modelPath} ({output.TaskName}); label column '{label}'.");
            MetricsTable.Print(environment.Console, ml, scored, output, label, $"Metrics on {Path.GetFileName(header.Path)}");
            return 0;
        });
        return command;
    }

    /// <summary>
    /// The column the predictions are compared with: among the columns that exist only when the input columns that
    /// scoring does not need (the label, as given) are there, the last whose type fits the task (e.g. the key a
    /// label's text was mapped to rather than the text).
    /// </summary>
    private static string LabelColumn(IReadOnlyList<ITransformer> steps, DataViewSchema inputSchema, ModelOutput output, string modelPath)
    {
        var visible = inputSchema.Where(c => !c.IsHidden).ToArray();
        var scoring = ModelParts.ScoringInputs(steps, inputSchema);
        var labels = visible.Select(c => c.Name).Except(scoring).ToArray();
        var full = ModelParts.SchemaAfter(steps, ModelParts.Without(visible, [])).Schema;
        var withoutLabels = ModelParts.SchemaAfter(steps, ModelParts.Without(visible, labels)).Schema;
        var candidates = full.Where(c => !c.IsHidden && labels.Length > 0
            && (withoutLabels.GetColumnOrNull(c.Name) is not { } kept || !kept.Type.Equals(c.Type)) && output.AcceptsLabel(c.Type));
        return candidates.Select(c => c.Name).LastOrDefault()
            ?? throw new CliException($"Model '{modelPath}' reads no label column that its {output.TaskName} predictions can be compared with, so it cannot be evaluated.");
    }
}
