using System.Globalization;
using Microsoft.ML;
using Microsoft.ML.Data;
using Spectre.Console;

namespace MLNetExt.Cli.Output;

/// <summary>Evaluates scored data for a model's task and prints the metrics, under ML.NET's names, as a table.</summary>
internal static class MetricsTable
{
    /// <summary>Evaluates <paramref name="scored"/> against <paramref name="label"/> and writes the table to <paramref name="console"/>.</summary>
    public static void Print(IAnsiConsole console, MLContext ml, IDataView scored, ModelOutput output, string label, string title) =>
        Print(console, Evaluate(ml, scored, output, label), title);

    /// <summary>Writes metric rows (name, value) as a table.</summary>
    public static void Print(IAnsiConsole console, IReadOnlyList<(string Name, double Value)> rows, string title)
    {
        var table = new Table().Title(title).AddColumn("Metric").AddColumn(new TableColumn("Value").RightAligned());
        foreach (var (name, value) in rows)
            table.AddRow(Markup.Escape(name), value.ToString("F4", CultureInfo.InvariantCulture));
        console.Write(table);
    }

    /// <summary>
    /// The metrics of the model's task, name and value, in the order ML.NET's samples print them. Tagging reports
    /// TokenAccuracy (ML.NET has no tagging evaluator); multi-step regression reports ML.NET's regression error names
    /// over all steps, then per step; anomaly detection reports ML.NET's anomaly metrics, the detection rate at
    /// <see cref="AnomalyFalsePositiveCount"/> false positives.
    /// </summary>
    public static IReadOnlyList<(string Name, double Value)> Evaluate(MLContext ml, IDataView scored, ModelOutput output, string label)
    {
        switch (output.Task)
        {
            case PredictionTask.BinaryClassification:
                var binary = ml.BinaryClassification.Evaluate(scored, label);
                return
                [
                    ("Accuracy", binary.Accuracy), ("AreaUnderRocCurve", binary.AreaUnderRocCurve),
                    ("AreaUnderPrecisionRecallCurve", binary.AreaUnderPrecisionRecallCurve), ("F1Score", binary.F1Score),
                    ("PositivePrecision", binary.PositivePrecision), ("PositiveRecall", binary.PositiveRecall),
                    ("NegativePrecision", binary.NegativePrecision), ("NegativeRecall", binary.NegativeRecall),
                    ("LogLoss", binary.LogLoss), ("LogLossReduction", binary.LogLossReduction),
                ];
            case PredictionTask.MulticlassClassification:
                var multiclass = Multiclass(ml, scored, label, output.Score.Name);
                return
                [
                    ("MicroAccuracy", multiclass.MicroAccuracy), ("MacroAccuracy", multiclass.MacroAccuracy),
                    ("LogLoss", multiclass.LogLoss), ("LogLossReduction", multiclass.LogLossReduction),
                ];
            case PredictionTask.AnomalyDetection:
                return AnomalyMetrics(ml, scored, output, label);
            case PredictionTask.Tagging:
                return [("TokenAccuracy", TokenAccuracy(scored, label, output.PredictedLabel!.Value.Name))];
            case PredictionTask.Regression when scored.Schema[label].Type == NumberDataViewType.Single:
                var regression = ml.Regression.Evaluate(scored, label);
                return
                [
                    ("MeanAbsoluteError", regression.MeanAbsoluteError), ("MeanSquaredError", regression.MeanSquaredError),
                    ("RootMeanSquaredError", regression.RootMeanSquaredError), ("RSquared", regression.RSquared),
                ];
            default:
                return StepErrors(scored, label, output.Score.Name);
        }
    }

    /// <summary>
    /// The most classes whose multiclass metrics ML.NET's evaluator computes here. It builds a class × class confusion
    /// matrix of doubles (8·K² bytes: 7 GB for 30,000 classes); above this count the same metrics come from
    /// <see cref="StreamingMulticlass"/>, in memory that grows with the class count only.
    /// </summary>
    public const int MaxConfusionMatrixClasses = 1000;

    /// <summary>
    /// ML.NET's multiclass metrics (MicroAccuracy, MacroAccuracy, LogLoss, LogLossReduction) of a key label against a
    /// Score vector: from ML.NET's evaluator up to <paramref name="maxConfusionMatrixClasses"/> classes, from
    /// <see cref="StreamingMulticlass"/> above.
    /// </summary>
    public static (double MicroAccuracy, double MacroAccuracy, double LogLoss, double LogLossReduction) Multiclass(MLContext ml, IDataView scored,
        string label, string score = "Score", int maxConfusionMatrixClasses = MaxConfusionMatrixClasses)
    {
        if (scored.Schema[score].Type is VectorDataViewType { Size: var classes } && classes <= maxConfusionMatrixClasses)
        {
            var metrics = ml.MulticlassClassification.Evaluate(scored, label, score);
            return (metrics.MicroAccuracy, metrics.MacroAccuracy, metrics.LogLoss, metrics.LogLossReduction);
        }
        return StreamingMulticlass(scored, label, score);
    }

    /// <summary>
    /// ML.NET's multiclass metrics in one pass over the rows, with counts per class (O(K) memory) instead of ML.NET's
    /// K × K confusion matrix, and ML.NET's rules: a row with a missing label (key 0) or a non-finite score is skipped;
    /// the predicted class is the first of the highest scores; a row's log-loss is −ln of its label's score clipped to
    /// [1e-15, 1] (−ln 1e-15 for a label the scores do not cover); MacroAccuracy averages the accuracy of the classes
    /// that occur; LogLossReduction is 1 − LogLoss / (the entropy of the labels' class shares).
    /// </summary>
    public static (double MicroAccuracy, double MacroAccuracy, double LogLoss, double LogLossReduction) StreamingMulticlass(IDataView scored, string label, string score)
    {
        var labelColumn = scored.Schema[label];
        var scoreColumn = scored.Schema[score];
        if (labelColumn.Type is not KeyDataViewType || scoreColumn.Type is not VectorDataViewType { Size: > 0 } scoreType || scoreType.ItemType != NumberDataViewType.Single)
            throw new InvalidOperationException($"Multiclass metrics need a key label and a vector of Single scores; '{label}' is {labelColumn.Type} and '{score}' {scoreColumn.Type}.");
        int classes = scoreType.Size;
        const float Epsilon = 1e-15f;
        var perClass = new long[classes];
        var correctPerClass = new long[classes];
        long rows = 0, correct = 0;
        double logLoss = 0;
        using var cursor = scored.GetRowCursor([labelColumn, scoreColumn]);
        var labelGetter = cursor.GetGetter<uint>(labelColumn);
        var scoreGetter = cursor.GetGetter<VBuffer<float>>(scoreColumn);
        uint key = 0;
        VBuffer<float> scores = default;
        while (cursor.MoveNext())
        {
            labelGetter(ref key);
            if (key == 0)
                continue;
            scoreGetter(ref scores);
            var values = scores.DenseValues();
            int assigned = -1, index = 0;
            float best = float.NegativeInfinity, own = 0;
            bool finite = true;
            foreach (float value in values)
            {
                if (!float.IsFinite(value))
                {
                    finite = false;
                    break;
                }
                if (assigned < 0 || value > best)
                {
                    best = value;
                    assigned = index;
                }
                if (index == key - 1)
                    own = value;
                index++;
            }
            if (!finite)
                continue;
            long labelIndex = key - 1L;
            rows++;
            if (labelIndex < classes)
            {
                perClass[labelIndex]++;
                logLoss -= Math.Log(Math.Min(1, Math.Max(Epsilon, own)));
                if (assigned == labelIndex)
                {
                    correct++;
                    correctPerClass[labelIndex]++;
                }
            }
            else
            {
                logLoss -= Math.Log(Epsilon);
            }
        }
        if (rows == 0)
            return (0, 0, 0, double.NaN);
        double macro = 0, entropy = 0;
        int present = 0;
        for (int c = 0; c < classes; c++)
        {
            if (perClass[c] == 0)
                continue;
            present++;
            macro += correctPerClass[c] / (double)perClass[c];
            entropy -= perClass[c] * Math.Log(perClass[c] / (double)rows);
        }
        entropy /= rows;
        double meanLogLoss = logLoss / rows;
        return (correct / (double)rows, present > 0 ? macro / present : 0, meanLogLoss, (entropy - meanLogLoss) / entropy);
    }

    /// <summary>The false positives at which the anomaly detection rate is measured (ML.NET's default).</summary>
    public const int AnomalyFalsePositiveCount = 10;

    /// <summary>
    /// ML.NET's AreaUnderRocCurve and DetectionRateAtFalsePositiveCount. ML.NET's anomaly evaluator reads a Single label
    /// (1 for an anomaly), so a Boolean one is converted; rows of only one class, where ROC AUC is not defined, are an error.
    /// </summary>
    private static IReadOnlyList<(string Name, double Value)> AnomalyMetrics(MLContext ml, IDataView scored, ModelOutput output, string label)
    {
        if (scored.Schema[label].Type is BooleanDataViewType)
            scored = ml.Transforms.Conversion.ConvertType(label, label, DataKind.Single).Fit(scored).Transform(scored);
        try
        {
            var anomaly = ml.AnomalyDetection.Evaluate(scored, label, output.Score.Name, output.PredictedLabel!.Value.Name, AnomalyFalsePositiveCount);
            return [("AreaUnderRocCurve", anomaly.AreaUnderRocCurve), ($"DetectionRateAtFalsePositiveCount ({AnomalyFalsePositiveCount})", anomaly.DetectionRateAtFalsePositiveCount)];
        }
        catch (ArgumentOutOfRangeException e) when (e.ParamName is "PosSample" or "NegSample")
        {
            throw new CliException($"Label '{label}' marks {(e.ParamName == "PosSample" ? "no row" : "every row")} as an anomaly, so AreaUnderRocCurve is not defined; evaluate on rows of both kinds.");
        }
    }

    /// <summary>The share of tokens whose predicted key equals the label's, over every row's tokens (a row's shorter side bounds its tokens).</summary>
    public static double TokenAccuracy(IDataView scored, string label, string predicted)
    {
        var labelColumn = scored.Schema[label];
        var predictedColumn = scored.Schema[predicted];
        using var cursor = scored.GetRowCursor([labelColumn, predictedColumn]);
        var labelGetter = cursor.GetGetter<VBuffer<uint>>(labelColumn);
        var predictedGetter = cursor.GetGetter<VBuffer<uint>>(predictedColumn);
        VBuffer<uint> labels = default, predictions = default;
        long correct = 0, total = 0;
        while (cursor.MoveNext())
        {
            labelGetter(ref labels);
            predictedGetter(ref predictions);
            var expected = labels.GetValues();
            var actual = predictions.GetValues();
            for (int t = 0; t < expected.Length && t < actual.Length; t++)
            {
                total++;
                if (expected[t] == actual[t])
                    correct++;
            }
        }
        return total == 0 ? double.NaN : correct / (double)total;
    }

    /// <summary>
    /// Errors of vector (or one-value) regression: MeanAbsoluteError, MeanSquaredError and RootMeanSquaredError over
    /// every step of every row, then MeanAbsoluteError and RootMeanSquaredError of each step when there are several.
    /// A step whose label is missing (NaN) is left out, as ML.NET's regression evaluator leaves such rows out.
    /// </summary>
    private static IReadOnlyList<(string Name, double Value)> StepErrors(IDataView scored, string label, string score)
    {
        var labelColumn = scored.Schema[label];
        var scoreColumn = scored.Schema[score];
        using var cursor = scored.GetRowCursor([labelColumn, scoreColumn]);
        var readLabel = VectorReader(cursor, labelColumn);
        var readScore = VectorReader(cursor, scoreColumn);
        double[] absolute = [], squared = [];
        long[] counts = [];
        while (cursor.MoveNext())
        {
            var expected = readLabel();
            var actual = readScore();
            if (expected.Length != actual.Length)
                throw new CliException($"Row {cursor.Position + 1}: the label '{label}' has {expected.Length} value(s) and the Score {actual.Length}.");
            if (counts.Length < expected.Length)
            {
                Array.Resize(ref absolute, expected.Length);
                Array.Resize(ref squared, expected.Length);
                Array.Resize(ref counts, expected.Length);
            }
            for (int h = 0; h < expected.Length; h++)
            {
                if (float.IsNaN(expected[h]))
                    continue;
                double error = (double)actual[h] - expected[h];
                absolute[h] += Math.Abs(error);
                squared[h] += error * error;
                counts[h]++;
            }
        }
        long total = counts.Sum();
        if (total == 0)
            throw new CliException($"The data has no rows with a label '{label}' to evaluate on.");
        double meanSquared = squared.Sum() / total;
        var rows = new List<(string, double)>
        {
            ("MeanAbsoluteError", absolute.Sum() / total), ("MeanSquaredError", meanSquared), ("RootMeanSquaredError", Math.Sqrt(meanSquared)),
        };
        if (counts.Length > 1)
        {
            for (int h = 0; h < counts.Length; h++)
            {
                rows.Add(($"MeanAbsoluteError (step {h + 1})", counts[h] == 0 ? double.NaN : absolute[h] / counts[h]));
                rows.Add(($"RootMeanSquaredError (step {h + 1})", counts[h] == 0 ? double.NaN : Math.Sqrt(squared[h] / counts[h])));
            }
        }
        return rows;
    }

    /// <summary>A reader of a Single or vector-of-Single column as an array (of one value for a scalar).</summary>
    private static Func<float[]> VectorReader(DataViewRowCursor cursor, DataViewSchema.Column column)
    {
        if (column.Type == NumberDataViewType.Single)
        {
            var scalar = cursor.GetGetter<float>(column);
            var one = new float[1];
            return () =>
            {
                scalar(ref one[0]);
                return one;
            };
        }
        var getter = cursor.GetGetter<VBuffer<float>>(column);
        VBuffer<float> buffer = default;
        return () =>
        {
            getter(ref buffer);
            return buffer.GetValues().ToArray();
        };
    }
}
