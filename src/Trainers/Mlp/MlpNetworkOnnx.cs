using MLNetExt.Core.Modules;
using MLNetExt.Core.Onnx;

namespace MLNetExt.Trainers.Mlp;

/// <summary>
/// ONNX export of a multi-layer perceptron built by <see cref="MlpNetwork.Build"/>: float features [N, F] → raw
/// outputs [N, C] (the logits or regression values, before any sigmoid or softmax), N symbolic.
/// </summary>
/// <remarks>Each layer emits its own nodes under its <c>nn.Sequential</c> name (<c>0.weight</c>, <c>/0/Gemm</c>, …);
/// the graph is the inference graph (dropout is the identity, batch norm uses its running statistics).</remarks>
internal static class MlpNetworkOnnx
{
    /// <summary>The graph input's default name.</summary>
    public const string FeaturesName = "features";

    /// <summary>The graph output's default name.</summary>
    public const string OutputName = "output";

    /// <summary>The symbolic batch dimension.</summary>
    public const string BatchDimension = "N";

    /// <summary>Adds the float input <paramref name="inputName"/> [N, <paramref name="featureCount"/>] and the network's nodes; returns the outputs [N, C].</summary>
    public static OnnxValue AddTo(OnnxGraphBuilder graph, Sequential network, int featureCount, string inputName = FeaturesName)
    {
        ArgumentNullException.ThrowIfNull(graph);
        ArgumentNullException.ThrowIfNull(network);
        var features = graph.AddInput(inputName, OnnxElementType.Float, [BatchDimension, featureCount]);
        return OnnxExport.Module(graph, network, features);
    }

    /// <summary>The whole model: input <see cref="FeaturesName"/> float [N, F], output <see cref="OutputName"/> float [N, C], with <paramref name="metadata"/> as metadata_props.</summary>
    public static byte[] Export(Sequential network, int featureCount, IReadOnlyDictionary<string, string>? metadata = null)
    {
        var graph = new OnnxGraphBuilder();
        graph.AddOutput(AddTo(graph, network, featureCount), OutputName);
        foreach (var (key, value) in metadata ?? new Dictionary<string, string>()) graph.AddMetadata(key, value);
        return graph.ToBytes();
    }
}
