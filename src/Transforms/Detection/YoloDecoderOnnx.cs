using MLNetExt.Core;
using MLNetExt.Core.Detection;
using MLNetExt.Core.Onnx;

namespace MLNetExt.Transforms.Detection;

/// <summary>
/// The YOLO decoder as one ONNX graph (opset 17) for one row: the layout's decoding, ONNX's
/// <c>NonMaxSuppression</c>, the order and the cap with <c>TopK</c>, the letterbox inverse, and the class names.
/// </summary>
/// <remarks>
/// <para>Inputs: each model output column, declared with its dimensions; with original sizes, the width and height
/// columns as [1, 1] floats (as OnnxTransformer feeds a scalar). Outputs (each [1, K], read by OnnxTransformer as variable-length vectors):
/// <see cref="LabelsOutput"/> (class names, text), <see cref="BoxesOutput"/> ([1, 4K] x1, y1, x2, y2) and
/// <see cref="ScoresOutput"/>.</para>
/// <para>Decisions match the native decoder's: <c>NonMaxSuppression</c> keeps a score strictly above its threshold
/// and drops a box whose float IoU is strictly above the (float) IoU threshold, as the native NMS does with the
/// same float threshold; per class, each box enters only its own class's scores (a one-hot mask). The kept boxes are
/// first put in output-index order, then <c>TopK</c> (which puts the lower index first among equal values) orders
/// them by score and applies the cap, so equal scores come out by index as natively. The letterbox is computed as
/// <c>Letterbox.Fit</c> computes it: Ultralytics' in double, rounded half to even; ML.NET's IsoPad in float with its
/// truncations.</para>
/// </remarks>
internal static class YoloDecoderOnnx
{
    /// <summary>The graph's class-name output (text), turned into keys by <c>MapValueToKey</c>.</summary>
    public const string LabelsOutput = "MLNetExt.Labels";

    /// <summary>The graph's boxes output.</summary>
    public const string BoxesOutput = "MLNetExt.Boxes";

    /// <summary>The graph's scores output.</summary>
    public const string ScoresOutput = "MLNetExt.Scores";

    // ONNX's TensorProto.DataType.DOUBLE, only ever a Cast target here (the graph's inputs and outputs are float).
    private const long OnnxDouble = 11;

    public static OnnxGraphBuilder Build(YoloOutputGeometry geometry, YoloDecoderOptions options)
    {
        var graph = new OnnxGraphBuilder("yolo_decoder");
        int classCount = geometry.ClassCount;
        var boxParts = new List<string>();
        var scoreParts = new List<string>();
        var classParts = new List<string>();
        for (int i = 0; i < geometry.Heads.Length; i++)
        {
            var head = geometry.Heads[i];
            var input = graph.AddInput(head.Column, OnnxElementType.Float, [.. head.Dimensions.Select(d => (OnnxDim)d)]);
            string scope = $"head{i}";
            var (boxes, scores, classes) = geometry.Layout switch
            {
                YoloLayout.YoloV8 => YoloV8(graph, input.Name, head, classCount, scope),
                YoloLayout.YoloV5 => YoloV5(graph, input.Name, head, classCount, options.ScoreThreshold, scope),
                _ => AnchorGrid(graph, input.Name, head, geometry, scope),
            };
            boxParts.Add(boxes);
            scoreParts.Add(scores);
            classParts.Add(classes);
        }
        string allBoxes = Concat(graph, boxParts, 0, "candidates");      // [N, 4] xyxy
        string allScores = Concat(graph, scoreParts, 0, "candidates");   // [N]
        string allClasses = Concat(graph, classParts, 0, "candidates");  // [N] int64

        // NonMaxSuppression's inputs: boxes [1, N, 4], scores [1, C, N] (a box only in its own class) or [1, 1, N].
        string nmsBoxes = graph.AddNode("Unsqueeze", [allBoxes, graph.Int64Constant(0)], "nms");
        string nmsScores;
        if (options.ClassAgnostic)
        {
            nmsScores = graph.AddNode("Unsqueeze", [allScores, graph.Int64Constant(0, 1)], "nms");
        }
        else
        {
            var oneHotValues = graph.AddInitializer("one_hot_values", Tensor.FromValues([0f, 1f], 2));
            string oneHot = graph.AddNode("OneHot", [allClasses, graph.Int64Constant(classCount), oneHotValues.Name], "nms",
                OnnxAttribute.Int("axis", 0));                                                                  // [C, N]
            string masked = graph.AddNode("Mul", [oneHot, allScores], "nms");                                  // [C, N]
            nmsScores = graph.AddNode("Unsqueeze", [masked, graph.Int64Constant(0)], "nms");                   // [1, C, N]
        }
        var iouThreshold = graph.AddInitializer("iou_threshold", Tensor.FromValues([options.IouThreshold], 1));
        var scoreThreshold = graph.AddInitializer("score_threshold", Tensor.FromValues([options.ScoreThreshold], 1));
        string maxDetections = graph.Int64Constant(options.MaxDetections);
        string selected = graph.AddNode("NonMaxSuppression", [nmsBoxes, nmsScores, maxDetections, iouThreshold.Name, scoreThreshold.Name], "nms",
            OnnxAttribute.Int("center_point_box", 0));                                                        // [K, 3]
        string keptIndices = graph.AddNode("Gather", [selected, graph.Int64Constant(2)], "nms", OnnxAttribute.Int("axis", 1));  // [K, 1]
        keptIndices = graph.AddNode("Reshape", [keptIndices, graph.Int64Constant(-1)], "nms");             // [K]

        // Output-index order first (TopK of −index), then by score with the cap: TopK keeps equal scores in index order.
        string keptCount = graph.AddNode("Shape", [keptIndices], "order");                                  // [1]
        string negatedIndices = graph.AddNode("Neg", [graph.AddNode("Cast", [keptIndices], "order", OnnxAttribute.Int("to", (long)OnnxElementType.Float))], "order");
        string[] byIndex = graph.AddNodeOutputs("TopK", [negatedIndices, keptCount], 2, "order", "", OnnxAttribute.Int("largest", 1), OnnxAttribute.Int("sorted", 1));
        string indicesInOrder = graph.AddNode("Gather", [keptIndices, byIndex[1]], "order", OnnxAttribute.Int("axis", 0));  // [K]
        string keptScores = graph.AddNode("Gather", [allScores, indicesInOrder], "order", OnnxAttribute.Int("axis", 0));   // [K]
        string cap = graph.AddNode("Min", [keptCount, maxDetections], "order");
        string[] byScore = graph.AddNodeOutputs("TopK", [keptScores, cap], 2, "order", "", OnnxAttribute.Int("largest", 1), OnnxAttribute.Int("sorted", 1));
        string final = graph.AddNode("Gather", [indicesInOrder, byScore[1]], "order", OnnxAttribute.Int("axis", 0));       // [K']
        string finalBoxes = graph.AddNode("Gather", [allBoxes, final], "output", OnnxAttribute.Int("axis", 0));            // [K', 4]
        string finalClasses = graph.AddNode("Gather", [allClasses, final], "output", OnnxAttribute.Int("axis", 0));        // [K']

        if (options.OriginalWidthColumnName is { } widthColumn)
        {
            // OnnxTransformer feeds a scalar column as [1, 1].
            var width = graph.AddInput(widthColumn, OnnxElementType.Float, [1, 1]);
            var height = graph.AddInput(options.OriginalHeightColumnName!, OnnxElementType.Float, [1, 1]);
            string widthValue = graph.AddNode("Reshape", [width.Name, graph.Int64Constant(1)], "letterbox");
            string heightValue = graph.AddNode("Reshape", [height.Name, graph.Int64Constant(1)], "letterbox");
            finalBoxes = LetterboxInverse(graph, finalBoxes, widthValue, heightValue, geometry.InputWidth, geometry.InputHeight, options.LetterboxKind);
        }

        var names = graph.AddInitializer("class_names", options.ClassNames);
        string labels = graph.AddNode("Gather", [names.Name, finalClasses], "output", OnnxAttribute.Int("axis", 0));
        string rowShape = graph.Int64Constant(1, -1);
        graph.AddOutput(new OnnxValue(graph.AddNode("Reshape", [labels, rowShape], "output"), OnnxElementType.String, [1, "K"]), LabelsOutput);
        graph.AddOutput(new OnnxValue(graph.AddNode("Reshape", [finalBoxes, rowShape], "output"), OnnxElementType.Float, [1, "K4"]), BoxesOutput);
        graph.AddOutput(new OnnxValue(graph.AddNode("Reshape", [byScore[0], rowShape], "output"), OnnxElementType.Float, [1, "K"]), ScoresOutput);
        return graph;
    }

    // [4 + C, N] → boxes [N, 4] xyxy, best score [N], best class [N].
    private static (string, string, string) YoloV8(OnnxGraphBuilder graph, string input, YoloHead head, int classCount, string scope)
    {
        string rows = graph.AddNode("Reshape", [input, graph.Int64Constant(4 + classCount, head.BoxCount)], scope);
        rows = graph.AddNode("Transpose", [rows], scope, OnnxAttribute.Ints("perm", 1, 0));                    // [N, 4 + C]
        string box = SliceColumns(graph, rows, 0, 4, scope);
        string classScores = SliceColumns(graph, rows, 4, 4 + classCount, scope);
        return (CentredToCorners(graph, box, scope), ReduceMax(graph, classScores, scope), ArgMax(graph, classScores, scope));
    }

    // [N, 5 + C] → score = max objectness·class, kept only where objectness is above the threshold (Ultralytics' xc).
    private static (string, string, string) YoloV5(OnnxGraphBuilder graph, string input, YoloHead head, int classCount, float threshold, string scope)
    {
        string rows = graph.AddNode("Reshape", [input, graph.Int64Constant(head.BoxCount, 5 + classCount)], scope);
        string box = SliceColumns(graph, rows, 0, 4, scope);
        string objectness = SliceColumns(graph, rows, 4, 5, scope);                                           // [N, 1]
        string products = graph.AddNode("Mul", [objectness, SliceColumns(graph, rows, 5, 5 + classCount, scope)], scope);  // [N, C]
        string score = ReduceMax(graph, products, scope);
        string objectnessAbove = graph.AddNode("Greater", [graph.AddNode("Reshape", [objectness, graph.Int64Constant(-1)], scope), graph.FloatConstant(threshold)], scope);
        score = graph.AddNode("Where", [objectnessAbove, score, graph.FloatConstant(0f)], scope);
        return (CentredToCorners(graph, box, scope), score, ArgMax(graph, products, scope));
    }

    // Anchor-grid heads: tiny-YOLOv2 and YOLOv3 [A·(5 + C), H, W] of logits, rows in anchor, row, column order;
    // the zoo's YOLOv4 [H, W, A, 5 + C], rows in row, column, anchor order, objectness and classes already probabilities.
    private static (string, string, string) AnchorGrid(OnnxGraphBuilder graph, string input, YoloHead head, YoloOutputGeometry geometry, string scope)
    {
        int classCount = geometry.ClassCount, anchors = head.AnchorCount, cells = head.Height * head.Width, n = head.BoxCount;
        bool channelsLast = geometry.Layout == YoloLayout.YoloV4;
        string rows;
        if (channelsLast)
        {
            rows = graph.AddNode("Reshape", [input, graph.Int64Constant(n, 5 + classCount)], scope);          // [N, 5 + C]
        }
        else
        {
            rows = graph.AddNode("Reshape", [input, graph.Int64Constant(anchors, 5 + classCount, cells)], scope);
            rows = graph.AddNode("Transpose", [rows], scope, OnnxAttribute.Ints("perm", 0, 2, 1));            // [A, HW, 5 + C]
            rows = graph.AddNode("Reshape", [rows, graph.Int64Constant(n, 5 + classCount)], scope);          // [N, 5 + C]
        }
        var gridX = new float[n];
        var gridY = new float[n];
        var anchorWidth = new float[n];
        var anchorHeight = new float[n];
        for (int a = 0; a < anchors; a++)
            for (int y = 0; y < head.Height; y++)
                for (int x = 0; x < head.Width; x++)
                {
                    int r = channelsLast ? (y * head.Width + x) * anchors + a : (a * head.Height + y) * head.Width + x;
                    gridX[r] = x;
                    gridY[r] = y;
                    anchorWidth[r] = head.Anchors[2 * a];
                    anchorHeight[r] = head.Anchors[2 * a + 1];
                }
        string Column(int index) => graph.AddNode("Reshape", [SliceColumns(graph, rows, index, index + 1, scope), graph.Int64Constant(-1)], scope);
        string Constant(string name, float[] values) => graph.AddInitializer($"{scope}.{name}", Tensor.FromValues(values, values.Length)).Name;
        float strideX = (float)geometry.InputWidth / head.Width, strideY = (float)geometry.InputHeight / head.Height;
        float shift = (head.XYScale - 1) / 2;
        // (grid + s·σ(t) − shift)·stride, in the native decoder's order of operations.
        string Centre(int index, float[] grid, float stride)
        {
            string scaled = graph.AddNode("Mul", [graph.FloatConstant(head.XYScale), graph.AddNode("Sigmoid", [Column(index)], scope)], scope);
            string sum = graph.AddNode("Sub", [graph.AddNode("Add", [Constant(index == 0 ? "grid_x" : "grid_y", grid), scaled], scope), graph.FloatConstant(shift)], scope);
            return graph.AddNode("Mul", [sum, graph.FloatConstant(stride)], scope);
        }
        string Size(int index, float[] anchor, string name) =>
            graph.AddNode("Mul", [Constant(name, anchor), graph.AddNode("Exp", [Column(index)], scope)], scope);
        string cx = Centre(0, gridX, strideX), cy = Centre(1, gridY, strideY);
        string w = Size(2, anchorWidth, "anchor_w"), h = Size(3, anchorHeight, "anchor_h");
        string box = Concat(graph, [.. new[] { cx, cy, w, h }.Select(v => graph.AddNode("Unsqueeze", [v, graph.Int64Constant(1)], scope))], 1, scope);
        string classValues = SliceColumns(graph, rows, 5, 5 + classCount, scope);
        if (channelsLast)
        {
            string products = graph.AddNode("Mul", [SliceColumns(graph, rows, 4, 5, scope), classValues], scope);  // [N, C]
            return (CentredToCorners(graph, box, scope), ReduceMax(graph, products, scope), ArgMax(graph, products, scope));
        }
        string objectness = graph.AddNode("Sigmoid", [Column(4)], scope);
        string probability = geometry.Layout == YoloLayout.TinyYoloV2
            ? ReduceMax(graph, graph.AddNode("Softmax", [classValues], scope, OnnxAttribute.Int("axis", 1)), scope)
            : graph.AddNode("Sigmoid", [ReduceMax(graph, classValues, scope)], scope);
        string score = graph.AddNode("Mul", [objectness, probability], scope);
        return (CentredToCorners(graph, box, scope), score, ArgMax(graph, classValues, scope));
    }

    // [N, 4] cx, cy, w, h → x1 = cx − 0.5·w, …, as the native decoder computes them.
    private static string CentredToCorners(OnnxGraphBuilder graph, string box, string scope)
    {
        string centre = SliceColumns(graph, box, 0, 2, scope);
        string half = graph.AddNode("Mul", [graph.FloatConstant(0.5f), SliceColumns(graph, box, 2, 4, scope)], scope);
        return Concat(graph, [graph.AddNode("Sub", [centre, half], scope), graph.AddNode("Add", [centre, half], scope)], 1, scope);
    }

    // Letterbox.Fit and MapToOriginal in the graph, operation for operation: Ultralytics' geometry in double (rounded
    // half to even), ML.NET's IsoPad in float with its truncations, Stretch as two ratios; then the float boxes.
    private static string LetterboxInverse(OnnxGraphBuilder graph, string boxes, string width, string height, int inputWidth, int inputHeight,
        LetterboxKind kind)
    {
        const string scope = "letterbox";
        string FloatConstant(string name, float value) => graph.AddInitializer($"{scope}.{name}", Tensor.FromValues([value], 1)).Name;
        string targetWidth = FloatConstant("target_width", inputWidth), targetHeight = FloatConstant("target_height", inputHeight);
        string left, top, scaleX, scaleY;
        switch (kind)
        {
            case LetterboxKind.Ultralytics:
            {
                string ToDouble(string value) => graph.AddNode("Cast", [value], scope, OnnxAttribute.Int("to", OnnxDouble));
                string ToFloat(string value) => graph.AddNode("Cast", [value], scope, OnnxAttribute.Int("to", (long)OnnxElementType.Float));
                string originalWidth = ToDouble(width), originalHeight = ToDouble(height);
                string targetWidthD = ToDouble(targetWidth), targetHeightD = ToDouble(targetHeight);
                string ratio = graph.AddNode("Min", [graph.AddNode("Div", [targetWidthD, originalWidth], scope), graph.AddNode("Div", [targetHeightD, originalHeight], scope)], scope);
                string half = ToDouble(FloatConstant("half", 0.5f));
                // 0.1 in double (1/10 rounds correctly), not 0.1f widened: round(pad − 0.1) must round as in Letterbox.
                string tenth = graph.AddNode("Div", [ToDouble(FloatConstant("one", 1f)), ToDouble(FloatConstant("ten", 10f))], scope);
                string Pad(string target, string original)
                {
                    string resized = graph.AddNode("Round", [graph.AddNode("Mul", [original, ratio], scope)], scope);
                    string pad = graph.AddNode("Mul", [graph.AddNode("Sub", [target, resized], scope), half], scope);
                    return ToFloat(graph.AddNode("Round", [graph.AddNode("Sub", [pad, tenth], scope)], scope));
                }
                left = Pad(targetWidthD, originalWidth);
                top = Pad(targetHeightD, originalHeight);
                scaleX = scaleY = ToFloat(ratio);
                break;
            }
            case LetterboxKind.MLNetIsoPad:
            {
                string widthAspect = graph.AddNode("Div", [targetWidth, width], scope);
                string heightAspect = graph.AddNode("Div", [targetHeight, height], scope);
                string tall = graph.AddNode("Less", [heightAspect, widthAspect], scope);
                string aspect = graph.AddNode("Where", [tall, heightAspect, widthAspect], scope);
                string two = graph.FloatConstant(2f), zero = graph.FloatConstant(0f);
                string Offset(string target, string original) =>
                    graph.AddNode("Floor", [graph.AddNode("Div", [graph.AddNode("Sub", [target, graph.AddNode("Mul", [original, aspect], scope)], scope), two], scope)], scope);
                left = graph.AddNode("Where", [tall, Offset(targetWidth, width), zero], scope);
                top = graph.AddNode("Where", [tall, zero, Offset(targetHeight, height)], scope);
                scaleX = graph.AddNode("Div", [graph.AddNode("Floor", [graph.AddNode("Mul", [width, aspect], scope)], scope), width], scope);
                scaleY = graph.AddNode("Div", [graph.AddNode("Floor", [graph.AddNode("Mul", [height, aspect], scope)], scope), height], scope);
                break;
            }
            default:
                left = top = FloatConstant("no_padding", 0f);
                scaleX = graph.AddNode("Div", [targetWidth, width], scope);
                scaleY = graph.AddNode("Div", [targetHeight, height], scope);
                break;
        }
        string offsets = Concat(graph, [left, top, left, top], 0, scope);                                   // [4]
        string scales = Concat(graph, [scaleX, scaleY, scaleX, scaleY], 0, scope);                         // [4]
        string mapped = graph.AddNode("Div", [graph.AddNode("Sub", [boxes, offsets], scope), scales], scope);
        string limits = Concat(graph, [width, height, width, height], 0, scope);                           // [4]
        return graph.AddNode("Max", [graph.AddNode("Min", [mapped, limits], scope), graph.FloatConstant(0f)], scope);
    }

    private static string SliceColumns(OnnxGraphBuilder graph, string value, int start, int end, string scope) =>
        graph.AddNode("Slice", [value, graph.Int64Constant(start), graph.Int64Constant(end), graph.Int64Constant(1)], scope);

    private static string ReduceMax(OnnxGraphBuilder graph, string value, string scope) =>
        graph.AddNode("ReduceMax", [value], scope, OnnxAttribute.Ints("axes", 1), OnnxAttribute.Int("keepdims", 0));

    private static string ArgMax(OnnxGraphBuilder graph, string value, string scope) =>
        graph.AddNode("ArgMax", [value], scope, OnnxAttribute.Int("axis", 1), OnnxAttribute.Int("keepdims", 0));

    private static string Concat(OnnxGraphBuilder graph, IReadOnlyList<string> parts, int axis, string scope) =>
        parts.Count == 1 ? parts[0] : graph.AddNode("Concat", [.. parts], scope, OnnxAttribute.Int("axis", axis));
}
