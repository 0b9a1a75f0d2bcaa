using System.Text.Json;
using MLNetExt.Core.Detection;

namespace MLNetExt.Core.Tests.Detection;

/// <summary>
/// The detection data set and its VOC and COCO figures written by <c>Reference/generate_detection.py</c>
/// (<c>Reference/detection/evaluation.json</c>).
/// </summary>
internal sealed class EvaluationReference
{
    private readonly JsonElement _root;

    private EvaluationReference(JsonElement root, List<ImagePredictions> predictions, List<ImageGroundTruth> groundTruth)
    {
        _root = root;
        Predictions = predictions;
        GroundTruth = groundTruth;
        ClassCount = root.GetProperty("classes").GetInt32();
    }

    public IReadOnlyList<ImagePredictions> Predictions { get; }

    public IReadOnlyList<ImageGroundTruth> GroundTruth { get; }

    public int ClassCount { get; }

    public static EvaluationReference Load()
    {
        string path = Path.Combine(AppContext.BaseDirectory, "Reference", "detection", "evaluation.json");
        var root = JsonDocument.Parse(File.ReadAllBytes(path)).RootElement.Clone();
        var predictions = new List<ImagePredictions>();
        var groundTruth = new List<ImageGroundTruth>();
        foreach (var image in root.GetProperty("images").EnumerateArray())
        {
            predictions.Add(new ImagePredictions(Boxes(image, "dt_boxes"), Floats(image, "dt_scores"), Ints(image, "dt_classes")));
            groundTruth.Add(new ImageGroundTruth(Boxes(image, "gt_boxes"), Ints(image, "gt_classes"),
                Bools(image, "gt_crowd"), Bools(image, "gt_difficult"), Floats(image, "gt_areas")));
        }
        return new EvaluationReference(root, predictions, groundTruth);
    }

    /// <summary>A number under a path of property names, e.g. ("coco", "map").</summary>
    public double Number(params string[] path) => Walk(path).GetDouble();

    /// <summary>A list of numbers under a path of property names.</summary>
    public double[] Numbers(params string[] path) => Walk(path).EnumerateArray().Select(e => e.GetDouble()).ToArray();

    private JsonElement Walk(string[] path)
    {
        var element = _root;
        foreach (var name in path) element = element.GetProperty(name);
        return element;
    }

    private static float[] Boxes(JsonElement image, string name) =>
        image.GetProperty(name).EnumerateArray().SelectMany(b => b.EnumerateArray().Select(v => (float)v.GetDouble())).ToArray();

    private static float[] Floats(JsonElement image, string name) =>
        image.GetProperty(name).EnumerateArray().Select(v => (float)v.GetDouble()).ToArray();

    private static int[] Ints(JsonElement image, string name) =>
        image.GetProperty(name).EnumerateArray().Select(v => v.GetInt32()).ToArray();

    private static bool[] Bools(JsonElement image, string name) =>
        image.GetProperty(name).EnumerateArray().Select(v => v.GetBoolean()).ToArray();
}
