using Microsoft.ML.Data;
using MLNetExt.Core.Onnx;

namespace MLNetExt.Estimators.Tests.Detection;

/// <summary>
/// Planted YOLO outputs for the decoder tests: each row carries one model output as a tensor ("Raw"), and a
/// one-node ONNX graph publishes it as the model's output column, so the pipeline runs ML.NET's ApplyOnnxModel
/// exactly as it would on a real detector.
/// </summary>
internal static class YoloHeads
{
    public sealed class HeadRow
    {
        public float[] Raw = [];

        public float OriginalWidth;

        public float OriginalHeight;
    }

    public sealed class TwoHeadRow
    {
        public float[] Coarse = [];

        public float[] Fine = [];
    }

    public sealed class ThreeHeadRow
    {
        public float[] Coarse = [];

        public float[] Middle = [];

        public float[] Fine = [];
    }

    /// <summary>The rows as a data view whose "Raw" column has the model output's dimensions.</summary>
    public static IDataView Rows(MLContext ml, int[] dims, params HeadRow[] rows)
    {
        var schema = SchemaDefinition.Create(typeof(HeadRow));
        schema[nameof(HeadRow.Raw)].ColumnType = new VectorDataViewType(NumberDataViewType.Single, dims);
        return ml.Data.LoadFromEnumerable(rows, schema);
    }

    /// <summary>An ONNX model reading "Raw" (of <paramref name="dims"/>) and returning it as <paramref name="outputName"/>.</summary>
    public static MemoryStream PassThroughModel(int[] dims, string outputName, string inputName = "Raw")
    {
        var graph = new OnnxGraphBuilder();
        var raw = graph.AddInput(inputName, OnnxElementType.Float, [.. dims.Select(d => (OnnxDim)d)]);
        graph.AddOutput(raw, outputName);
        return new MemoryStream(graph.ToBytes(), writable: false);
    }

    /// <summary>
    /// A YOLOv8 output [1, 4 + 3, 6]: b0 (class 0, 0.9); b1 on b0 (class 0, 0.8: suppressed); b2 on b0 but class 1
    /// (0.85: kept per class); b3 (class 2, 0.7); b4 (class 2, 0.2: under the threshold); b5 (class 1, 0.7: ties b3).
    /// </summary>
    public static float[] YoloV8(float scale = 1f)
    {
        float[][] boxes = [[100, 100, 50, 50], [102, 101, 50, 50], [102, 101, 50, 50], [300, 200, 40, 80], [400, 400, 10, 10], [500, 100, 20, 20]];
        (int Class, float Score)[] classes = [(0, 0.9f), (0, 0.8f), (1, 0.85f), (2, 0.7f), (2, 0.2f), (1, 0.7f)];
        int n = boxes.Length;
        var output = new float[(4 + 3) * n];
        for (int i = 0; i < n; i++)
        {
            for (int k = 0; k < 4; k++) output[k * n + i] = boxes[i][k];
            output[(4 + classes[i].Class) * n + i] = classes[i].Score * scale;
            // A weaker second class, so the decoder must take the maximum.
            output[(4 + (classes[i].Class + 1) % 3) * n + i] = classes[i].Score * scale / 2;
        }
        return output;
    }

    /// <summary>The same six boxes as a YOLOv5 output [1, 6, 5 + 3]: objectness × class probability gives the same scores.</summary>
    public static float[] YoloV5()
    {
        float[][] rows =
        [
            [100, 100, 50, 50, 0.9f, 1, 0.5f, 0],
            [102, 101, 50, 50, 1f, 0.8f, 0, 0],
            [102, 101, 50, 50, 0.85f, 0, 1, 0.25f],
            [300, 200, 40, 80, 1f, 0, 0, 0.7f],
            [400, 400, 10, 10, 0.2f, 0, 0, 1],            // objectness under the threshold
            [500, 100, 20, 20, 0.7f, 0, 1, 0],
        ];
        return [.. rows.SelectMany(r => r)];
    }
}
