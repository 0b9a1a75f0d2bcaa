using Microsoft.ML;
using MLNetExt.Core.Onnx;

namespace MLNetExt.Transforms.Saving;

/// <summary>A transformer's ONNX graph for one row, ready to be wrapped by ML.NET's OnnxTransformer.</summary>
/// <param name="Graph">The finished graph: inputs, nodes, outputs and metadata.</param>
/// <param name="Inputs">The columns the graph reads, each named as a graph input and typed as OnnxTransformer feeds it.</param>
/// <param name="OutputColumns">The graph outputs, in the order they become columns.</param>
internal sealed record ExportedGraph(OnnxGraphBuilder Graph, DataViewSchema Inputs, string[] OutputColumns);
