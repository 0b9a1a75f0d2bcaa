using System.CommandLine;
using MLNetExt.Cli.Data;
using MLNetExt.Cli.Output;
using MLNetExt.Data;

namespace MLNetExt.Cli.Commands;

/// <summary><c>mlnetext evaluate</c>: scores a labelled CSV/TSV file with a saved model and prints the metrics.</summary>
internal static class EvaluateCommand
{
    public static Command Create(CliEnvironment environment)
    {
        var dataset = new DatasetOptions();
        var model = new Option<FileInfo>("--model", "-m") { Description = "The model file saved by 'mlnetext train'.", Required = true };
        var command = new Command("evaluate", "Evaluate a saved model on a labelled CSV/TSV file and print its metrics.");
        command.Options.Add(model);
        dataset.AddTo(command);
        command.SetAction(parse =>
        {
            var ml = new MLContext(1);
            string modelPath = parse.GetValue(model)!.FullName;
            var header = dataset.ReadHeader(parse);
            var loaded = ModelParts.Load(ml, modelPath, out var inputSchema);
            var predictor = ModelParts.Predictor(loaded, modelPath);
            var data = DatasetLoader.LoadForModel(ml, header, inputSchema, _ => true);
            MetricsTable.Print(environment.Console, ml, loaded.Transform(data), predictor, $"Metrics on {Path.GetFileName(header.Path)}");
            return 0;
        });
        return command;
    }
}
