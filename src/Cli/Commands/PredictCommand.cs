using System.CommandLine;
using System.Globalization;
using MLNetExt.Cli.Data;
using MLNetExt.Data;
using MLNetExt.Trainers.Mlp;
using Spectre.Console;

namespace MLNetExt.Cli.Commands;

/// <summary>
/// <c>mlnetext predict</c>: scores a CSV/TSV file (the label column may be absent) with a saved model and writes one
/// CSV line of predictions per row, to a file or standard output.
/// </summary>
internal static class PredictCommand
{
    public static Command Create(CliEnvironment environment)
    {
        var dataset = new DatasetOptions();
        var model = new Option<FileInfo>("--model", "-m") { Description = "The model file saved by 'mlnetext train'.", Required = true };
        var output = new Option<FileInfo?>("--output", "-o") { Description = "Where to write the predictions (CSV); default: standard output." };
        var command = new Command("predict", "Score a CSV/TSV file with a saved model and write the predictions as CSV.");
        command.Options.Add(model);
        dataset.AddTo(command);
        command.Options.Add(output);
        command.SetAction(parse =>
        {
            var ml = new MLContext(1);
            string modelPath = parse.GetValue(model)!.FullName;
            var header = dataset.ReadHeader(parse);
            var loaded = ModelParts.Load(ml, modelPath, out var inputSchema);
            var predictor = ModelParts.Predictor(loaded, modelPath);
            var data = DatasetLoader.LoadForModel(ml, header, inputSchema, name => name != predictor.LabelColumnName);
            var scored = ModelParts.ScoringModel(loaded).Transform(data);
            string? outputPath = parse.GetValue(output)?.FullName;
            int rows;
            if (outputPath is null)
            {
                rows = Write(scored, predictor, Console.Out);
            }
            else
            {
                using (var writer = new StreamWriter(outputPath))
                    rows = Write(scored, predictor, writer);
                environment.Console.WriteLine($"Wrote {rows} prediction(s) to {outputPath}.");
            }
            return 0;
        });
        return command;
    }

    /// <summary>Writes a header and one line per row: the predicted label and the scores of the model's task.</summary>
    private static int Write(IDataView scored, MlpPredictionTransformer predictor, TextWriter writer)
    {
        var schema = scored.Schema;
        using var cursor = scored.GetRowCursor(schema.Where(c => c.Name is "Score" or "Probability" or "PredictedLabel"));
        var cells = new List<Func<string>>();
        var names = new List<string>();
        switch (predictor.Task)
        {
            case MlpTask.BinaryClassification:
                names.AddRange(["PredictedLabel", "Score", "Probability"]);
                cells.Add(Reader<bool>(cursor, schema["PredictedLabel"], v => v ? "true" : "false"));
                cells.Add(Reader<float>(cursor, schema["Score"], Number));
                cells.Add(Reader<float>(cursor, schema["Probability"], Number));
                break;
            case MlpTask.MulticlassClassification:
                var classes = KeyValueText.Of(schema["PredictedLabel"], predictor.OutputCount);
                names.Add("PredictedLabel");
                names.AddRange(classes.Select(c => Csv($"Score.{c}")));
                cells.Add(Reader<uint>(cursor, schema["PredictedLabel"], key => key == 0 ? "" : Csv(classes[(int)key - 1])));
                var scores = cursor.GetGetter<VBuffer<float>>(schema["Score"]);
                VBuffer<float> buffer = default;
                cells.Add(() =>
                {
                    scores(ref buffer);
                    return string.Join(",", buffer.DenseValues().Select(Number));
                });
                break;
            default:
                names.Add("Score");
                cells.Add(Reader<float>(cursor, schema["Score"], Number));
                break;
        }
        writer.WriteLine(string.Join(",", names));
        int rows = 0;
        while (cursor.MoveNext())
        {
            writer.WriteLine(string.Join(",", cells.Select(cell => cell())));
            rows++;
        }
        return rows;
    }

    private static Func<string> Reader<T>(DataViewRowCursor cursor, DataViewSchema.Column column, Func<T, string> format)
    {
        var getter = cursor.GetGetter<T>(column);
        T value = default!;
        return () =>
        {
            getter(ref value);
            return format(value);
        };
    }

    private static string Number(float value) => value.ToString("R", CultureInfo.InvariantCulture);

    private static string Csv(string text) =>
        text.IndexOfAny([',', '"', '\n', '\r']) >= 0 ? $"\"{text.Replace("\"", "\"\"", StringComparison.Ordinal)}\"" : text;
}
