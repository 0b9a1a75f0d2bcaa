using System.Text.Json;

namespace MLNetExt.Data.Tests.Evaluation;

/// <summary>
/// The inputs and scikit-learn's metric values written by generate_sklearn_metrics.py into sklearn_metrics.json
/// (copied to the test output folder).
/// </summary>
public static class SklearnReference
{
    private static readonly Lazy<JsonElement> Root = new(() =>
        JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Evaluation", "sklearn_metrics.json"))).RootElement);

    /// <summary>One case ("binary", "multiclass", ...): its "label", "score", ... arrays and its "expected" values.</summary>
    public static JsonElement Case(string name) => Root.Value.GetProperty(name);

    public static double Expected(this JsonElement testCase, string metric) => testCase.GetProperty("expected").GetProperty(metric).GetDouble();

    public static double[] ExpectedArray(this JsonElement testCase, string metric) =>
        testCase.GetProperty("expected").GetProperty(metric).EnumerateArray().Select(v => v.GetDouble()).ToArray();

    public static double[][] ExpectedMatrix(this JsonElement testCase, string metric) =>
        testCase.GetProperty("expected").GetProperty(metric).EnumerateArray()
            .Select(row => row.EnumerateArray().Select(v => v.GetDouble()).ToArray()).ToArray();

    /// <summary>The float32 inputs, stored as doubles that convert to float exactly.</summary>
    public static float[] Floats(this JsonElement testCase, string name) =>
        testCase.GetProperty(name).EnumerateArray().Select(v => (float)v.GetDouble()).ToArray();

    public static bool[] Booleans(this JsonElement testCase, string name) =>
        testCase.GetProperty(name).EnumerateArray().Select(v => v.GetBoolean()).ToArray();

    public static int[] Integers(this JsonElement testCase, string name) =>
        testCase.GetProperty(name).EnumerateArray().Select(v => v.GetInt32()).ToArray();

    public static float[][] FloatRows(this JsonElement testCase, string name) =>
        testCase.GetProperty(name).EnumerateArray().Select(row => row.EnumerateArray().Select(v => (float)v.GetDouble()).ToArray()).ToArray();

    /// <summary>ln 2 as Python computed it, to convert scikit-learn's nats to ML.NET's bits.</summary>
    public static double Ln2 => Root.Value.GetProperty("meta").GetProperty("ln2").GetDouble();
}
