using Microsoft.ML;
using MLNetExt.Core.Onnx;

namespace MLNetExt.Transforms.DeepLearning;

/// <summary>A deep model's network as an ONNX graph for one row.</summary>
/// <param name="Graph">The graph, with its inputs added and the network's nodes.</param>
/// <param name="Inputs">The columns the graph reads, each with the name of a graph input and the type OnnxTransformer feeds it from.</param>
/// <param name="Outputs">The raw outputs (logits or values), float [1, C], or [1, T', C] for tagging.</param>
/// <param name="TokenCount">For tagging, the int64 [1] value holding the row's token count T ≤ T' (the outputs of
/// a row with no token still hold one padding step, so that no operator sees an empty tensor).</param>
internal sealed record ExportedNetwork(OnnxGraphBuilder Graph, DataViewSchema Inputs, OnnxValue Outputs, string? TokenCount = null);
