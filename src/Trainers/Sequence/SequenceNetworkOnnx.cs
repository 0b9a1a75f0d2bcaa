using MLNetExt.Core;
using MLNetExt.Core.Modules;
using MLNetExt.Core.Onnx;

namespace MLNetExt.Trainers.Sequence;

/// <summary>What the ONNX graph of a <see cref="SequenceNetwork"/> reads and how its inputs and output are named.</summary>
/// <param name="Steps">T, the padded sequence length the graph is fixed to (the batch N stays symbolic).</param>
internal sealed record SequenceNetworkOnnxOptions(int Steps)
{
    /// <summary>The element type of the token ids for key input: <see cref="OnnxElementType.UInt32"/> (an ML.NET key column), <see cref="OnnxElementType.Int64"/> or <see cref="OnnxElementType.Float"/>.</summary>
    public OnnxElementType TokenType { get; init; } = OnnxElementType.UInt32;

    /// <summary>The element type of the lengths: <see cref="OnnxElementType.Int32"/>, <see cref="OnnxElementType.Int64"/>, <see cref="OnnxElementType.UInt32"/> or <see cref="OnnxElementType.Float"/>.</summary>
    public OnnxElementType LengthType { get; init; } = OnnxElementType.Int32;

    /// <summary>The token-id input [N, T] (key input).</summary>
    public string TokensName { get; init; } = "tokens";

    /// <summary>The step-values input [N, T, W] (float input).</summary>
    public string StepsName { get; init; } = "steps";

    /// <summary>The lengths input [N].</summary>
    public string LengthsName { get; init; } = "lengths";

    /// <summary>The logits output: [N, C] (many-to-one) or [N, T, C] (tagging).</summary>
    public string OutputName { get; init; } = "logits";

    /// <summary>The symbolic batch dimension.</summary>
    public string BatchDimension { get; init; } = "N";
}

/// <summary>
/// ONNX export of a <see cref="SequenceNetwork"/>, in the form ML.NET's OnnxTransformer can feed one row at a time.
/// </summary>
/// <remarks>
/// <para>Inputs: key input, token ids [N, T] (<see cref="SequenceNetworkOnnxOptions.TokenType"/>, cast to int64 for the
/// embedding's <c>Gather</c>); float input, steps [N, T, W]; both, lengths [N] in [1, T] (cast to int32 for the
/// recurrent layers' <c>sequence_lens</c>). Output: logits [N, C] for many-to-one tasks, [N, T, C] for tagging
/// (the engine's [N·T, C] rows, reshaped; padded steps hold the head's bias, as in the engine).</para>
/// <para>Pooling, as <see cref="SequencePoolingOp"/>: <c>Last</c> is the top layer's h_n (the forward direction at step
/// ℓ − 1 and the backward direction at step 0, where each ends); <c>Mean</c> sums the masked outputs and divides by ℓ;
/// <c>Max</c> takes the maximum over valid steps, padded steps replaced by −∞. The mask (step &lt; ℓ) is also applied
/// to the outputs before mean pooling and the tagging head, so nothing depends on what the runtime leaves at padded steps.</para>
/// <para>Initializers keep the module tree's PyTorch names: <c>embedding.weight</c>, <c>rnn.weight_ih_l0</c>, …,
/// <c>head.weight</c>, <c>head.bias</c>.</para>
/// </remarks>
internal static class SequenceNetworkOnnx
{
    /// <summary>Adds the inputs and the network's nodes to <paramref name="graph"/> and returns the logits (not yet a graph output).</summary>
    /// <exception cref="ArgumentException">An option does not suit the network.</exception>
    public static OnnxValue AddTo(OnnxGraphBuilder graph, SequenceNetwork network, SequenceNetworkOnnxOptions options)
    {
        ArgumentNullException.ThrowIfNull(graph);
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(options);
        var architecture = network.Architecture;
        int steps = options.Steps;
        ArgumentOutOfRangeException.ThrowIfLessThan(steps, 1, nameof(options));
        OnnxDim batch = options.BatchDimension;
        OnnxValue input;
        if (architecture.InputKind == SequenceInputKind.Keys)
        {
            if (options.TokenType is not (OnnxElementType.UInt32 or OnnxElementType.Int64 or OnnxElementType.Float))
                throw new ArgumentException($"Token ids must be UInt32, Int64 or Float, not {options.TokenType}.", nameof(options));
            input = graph.AddInput(options.TokensName, options.TokenType, [batch, steps]);
        }
        else
        {
            input = graph.AddInput(options.StepsName, OnnxElementType.Float, [batch, steps, architecture.StepSize]);  // [N, T, W]
        }
        return AddNetwork(graph, network, input, Lengths(graph, options, batch));
    }

    /// <summary>
    /// Adds the network's nodes over existing values and returns the logits: <paramref name="input"/> is token ids
    /// [N, T] (UInt32, Int64 or Float) or float steps [N, T, W], T fixed or symbolic; <paramref name="lengths"/> is
    /// int32 [N], each in [1, T].
    /// </summary>
    public static OnnxValue AddNetwork(OnnxGraphBuilder graph, SequenceNetwork network, OnnxValue input, OnnxValue lengths)
    {
        ArgumentNullException.ThrowIfNull(graph);
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(lengths);
        if (lengths.ElementType != OnnxElementType.Int32)
            throw new ArgumentException($"Lengths must be Int32, not {lengths.ElementType}.", nameof(lengths));
        var architecture = network.Architecture;
        var batch = input.Shape[0];
        var modules = network.Children().ToDictionary(c => c.Key, c => c.Value, StringComparer.Ordinal);
        var sequence = architecture.InputKind == SequenceInputKind.Keys
            ? OnnxExport.Module(graph, modules["embedding"], input, "embedding")  // [N, T, E]
            : input;  // [N, T, W]
        var recurrent = network.Recurrent.ExportOnnx(graph, sequence, lengths, "rnn");
        var output = recurrent.Output;  // [N, T, D·H]
        OnnxDim width = architecture.Directions * architecture.HiddenSize;
        // valid [N, T]: step < ℓ
        string stepIndices = StepIndices(graph, input);
        string valid = graph.AddNode("Less", [stepIndices, graph.AddNode("Unsqueeze", [lengths.Name, graph.Int64Constant(1)], "pool")], "pool");
        // validSteps [N, T, 1]
        string validSteps = graph.AddNode("Unsqueeze", [valid, graph.Int64Constant(2)], "pool");
        string mask = graph.AddNode("Cast", [validSteps], "pool", OnnxAttribute.Int("to", (long)OnnxElementType.Float));

        OnnxValue features;
        if (architecture.Task == SequenceTask.Tagging)
        {
            features = output.As(graph.AddNode("Mul", [output.Name, mask], "pool"));  // [N, T, D·H]
        }
        else
        {
            string pooled = architecture.Pooling switch
            {
                SequencePooling.Last => LastState(graph, recurrent.HiddenState.Name, architecture),
                SequencePooling.Mean => graph.AddNode("Div",
                [
                    graph.AddNode("ReduceSum", [graph.AddNode("Mul", [output.Name, mask], "pool"), graph.Int64Constant(1)], "pool", OnnxAttribute.Int("keepdims", 0)),
                    graph.AddNode("Cast", [graph.AddNode("Unsqueeze", [lengths.Name, graph.Int64Constant(1)], "pool")], "pool", OnnxAttribute.Int("to", (long)OnnxElementType.Float)),
                ], "pool"),
                _ => ReduceMax(graph, graph.AddNode("Where", [validSteps, output.Name, graph.FloatConstant(float.NegativeInfinity)], "pool")),
            };
            features = new OnnxValue(pooled, OnnxElementType.Float, [batch, width]);  // [N, D·H]
        }
        if (modules.TryGetValue("dropout", out var dropout))
            features = OnnxExport.Module(graph, dropout, features, "dropout");
        return OnnxExport.Module(graph, modules["head"], features, "head");
    }

    /// <summary>The whole model, with the output named <see cref="SequenceNetworkOnnxOptions.OutputName"/> and <paramref name="metadata"/> as metadata_props.</summary>
    public static byte[] Export(SequenceNetwork network, SequenceNetworkOnnxOptions options, IReadOnlyDictionary<string, string>? metadata = null)
    {
        var graph = new OnnxGraphBuilder();
        graph.AddOutput(AddTo(graph, network, options), options.OutputName);
        foreach (var (key, value) in metadata ?? new Dictionary<string, string>()) graph.AddMetadata(key, value);
        return graph.ToBytes();
    }

    private static OnnxValue Lengths(OnnxGraphBuilder graph, SequenceNetworkOnnxOptions options, OnnxDim batch)
    {
        if (options.LengthType is not (OnnxElementType.Int32 or OnnxElementType.Int64 or OnnxElementType.UInt32 or OnnxElementType.Float))
            throw new ArgumentException($"Lengths must be Int32, Int64, UInt32 or Float, not {options.LengthType}.", nameof(options));
        var lengths = graph.AddInput(options.LengthsName, options.LengthType, [batch]);
        return lengths.ElementType == OnnxElementType.Int32
            ? lengths
            : lengths.As(graph.AddNode("Cast", [lengths.Name], "lengths", OnnxAttribute.Int("to", (long)OnnxElementType.Int32)), OnnxElementType.Int32);
    }

    // [1, T] int32: 0 … T − 1, a constant when T is fixed, else a Range over the input's second dimension.
    private static string StepIndices(OnnxGraphBuilder graph, OnnxValue input)
    {
        var steps = input.Shape[1];
        if (steps.IsFixed)
            return graph.AddInitializer("onnx_step_indices", Enumerable.Range(0, (int)steps.Size).ToArray(), [1, steps.Size]).Name;
        // Range takes scalars: rank-0 start, limit and delta.
        string zero = graph.AddInitializer("onnx_steps_zero", [0L], []).Name, one = graph.AddInitializer("onnx_steps_one", [1L], []).Name;
        string count = graph.AddNode("Gather", [graph.AddNode("Shape", [input.Name], "pool"), one], "pool", OnnxAttribute.Int("axis", 0));
        string range = graph.AddNode("Range", [zero, count, one], "pool");
        string indices = graph.AddNode("Cast", [range], "pool", OnnxAttribute.Int("to", (long)OnnxElementType.Int32));
        return graph.AddNode("Unsqueeze", [indices, graph.Int64Constant(0)], "pool");
    }

    // h_n [L·D, N, H] → the top layer's [D, N, H] → [N, D, H] → [N, D·H], the forward half first.
    private static string LastState(OnnxGraphBuilder graph, string hidden, SequenceArchitecture architecture)
    {
        int directions = architecture.Directions, top = (architecture.NumberOfLayers - 1) * directions;
        string topLayer = graph.AddNode("Slice", [hidden, graph.Int64Constant(top), graph.Int64Constant(top + directions), graph.Int64Constant(0)], "pool");
        string batchMajor = graph.AddNode("Transpose", [topLayer], "pool", OnnxAttribute.Ints("perm", 1, 0, 2));
        return graph.AddNode("Reshape", [batchMajor, graph.Int64Constant(0, -1)], "pool");
    }

    // [N, T, D·H] → [N, D·H], the maximum over T; ReduceMax takes its axes as an attribute before opset 18 and as an input from it.
    private static string ReduceMax(OnnxGraphBuilder graph, string masked)
        => graph.OpsetVersion >= 18
            ? graph.AddNode("ReduceMax", [masked, graph.Int64Constant(1)], "pool", OnnxAttribute.Int("keepdims", 0))
            : graph.AddNode("ReduceMax", [masked], "pool", OnnxAttribute.Ints("axes", 1), OnnxAttribute.Int("keepdims", 0));
}
