using System.Globalization;
using MLNetExt.Data;
using MLNetExt.Trainers.Mlp;
using Spectre.Console;

namespace MLNetExt.Cli.Output;

/// <summary>Evaluates scored data for a model's task and prints the metrics, under ML.NET's names, as a table.</summary>
internal static class MetricsTable
{
    /// <summary>Evaluates <paramref name="scored"/> and writes the table to <paramref name="console"/>.</summary>
    public static void Print(IAnsiConsole console, MLContext ml, IDataView scored, MlpPredictionTransformer model, string title)
    {
        var rows = Evaluate(ml, scored, model);
        var table = new Table().Title(title).AddColumn("Metric").AddColumn(new TableColumn("Value").RightAligned());
        foreach (var (name, value) in rows)
            table.AddRow(name, value.ToString("F4", CultureInfo.InvariantCulture));
        console.Write(table);
    }

    /// <summary>The metrics of the model's task, name and value, in the order ML.NET's samples print them.</summary>
    public static IReadOnlyList<(string Name, double Value)> Evaluate(MLContext ml, IDataView scored, MlpPredictionTransformer model)
    {
        string label = model.LabelColumnName;
        switch (model.Task)
        {
            case MlpTask.BinaryClassification:
                var binary = ml.BinaryClassification.Evaluate(scored, label);
                return
                [
                    ("Accuracy", binary.Accuracy), ("AreaUnderRocCurve", binary.AreaUnderRocCurve),
                    ("AreaUnderPrecisionRecallCurve", binary.AreaUnderPrecisionRecallCurve), ("F1Score", binary.F1Score),
                    ("PositivePrecision", binary.PositivePrecision), ("PositiveRecall", binary.PositiveRecall),
                    ("NegativePrecision", binary.NegativePrecision), ("NegativeRecall", binary.NegativeRecall),
                    ("LogLoss", binary.LogLoss), ("LogLossReduction", binary.LogLossReduction),
                ];
            case MlpTask.MulticlassClassification:
                var multiclass = ml.MulticlassClassification.Evaluate(scored, label);
                return
                [
                    ("MicroAccuracy", multiclass.MicroAccuracy), ("MacroAccuracy", multiclass.MacroAccuracy),
                    ("LogLoss", multiclass.LogLoss), ("LogLossReduction", multiclass.LogLossReduction),
                ];
            default:
                var regression = ml.Regression.Evaluate(scored, label);
                return
                [
                    ("MeanAbsoluteError", regression.MeanAbsoluteError), ("MeanSquaredError", regression.MeanSquaredError),
                    ("RootMeanSquaredError", regression.RootMeanSquaredError), ("RSquared", regression.RSquared),
                ];
        }
    }
}
