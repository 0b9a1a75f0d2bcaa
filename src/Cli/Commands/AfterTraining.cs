using System.Text.RegularExpressions;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace MLNetExt.Cli.Commands;

/// <summary>
/// What the training commands do once the model is saved: the steps after it (test metrics, scores) may fail, but
/// never at the cost of the trained model, which is saved before any of them runs.
/// </summary>
internal static partial class AfterTraining
{
    /// <summary>
    /// The exit code of a run that saved its model but whose later step (test metrics, scores) failed; the error line
    /// says which step and why, and where the model is.
    /// </summary>
    public const int StepFailedExitCode = 3;

    /// <summary>
    /// Runs <paramref name="step"/> (e.g. "the test metrics", "writing the scores"); a failure is reported as one line on standard error naming
    /// the step, the reason and the saved model, and is not thrown. Returns whether the step succeeded.
    /// </summary>
    public static bool Try(string step, string modelPath, Action run)
    {
        try
        {
            run();
            return true;
        }
        catch (Exception e)
        {
            string reason = ParameterSuffix().Replace(CliErrors.OneLine(e), "").TrimEnd('.');
            Console.Error.WriteLine($"mlnetext: error: {step} failed: {reason}. The trained model was saved to {modelPath} all the same.");
            return false;
        }
    }

    /// <summary>
    /// Null when the Boolean <paramref name="label"/> of <paramref name="rows"/> holds both values; otherwise a note
    /// that the binary metrics (ROC AUC and others) are not defined for <paramref name="rowsName"/>, which ML.NET's
    /// evaluator would throw on.
    /// </summary>
    public static string? OneClassNote(IDataView rows, string label, string rowsName)
    {
        int positives = 0, negatives = 0;
        foreach (bool value in rows.GetColumn<bool>(label))
        {
            if (value)
                positives++;
            else
                negatives++;
        }
        if (positives > 0 && negatives > 0)
            return null;
        string only = positives + negatives == 0 ? "no rows" : $"only {(positives == 0 ? "false" : "true")} values ({positives + negatives} rows)";
        return $"The {rowsName} rows hold {only} of label '{label}', so the binary metrics are not defined and none are printed (use more rows, another --seed or a larger --test-fraction).";
    }

    [GeneratedRegex(@"\s*\(Parameter '[^']*'\)")]
    private static partial Regex ParameterSuffix();
}
