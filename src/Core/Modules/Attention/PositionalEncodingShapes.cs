using MLNetExt.Core.Onnx;
using MLNetExt.Core.Ops;

namespace MLNetExt.Core.Modules.Attention;

/// <summary>The shape check and the ONNX graph the two positional encodings share.</summary>
internal static class PositionalEncodingShapes
{
    /// <exception cref="ArgumentException">The input is not [B, T ≤ max_len, d].</exception>
    public static void Check(Module layer, ReadOnlySpan<int> inputShape, int maxLength, int dModel)
    {
        if (inputShape.Length != 3 || inputShape[2] != dModel || inputShape[1] > maxLength)
            throw new ArgumentException($"{layer.GetType().Name} expects input [B, T ≤ {maxLength}, {dModel}] but got {ShapeText.Of(inputShape)}.", "input");
    }

    // Shapes: input [B, T, d], table [max_len, d] → input + table[:T] (T read from the input at run time when symbolic).
    public static OnnxValue ExportAdd(OnnxGraphBuilder graph, OnnxValue input, OnnxValue table, int maxLength, int dModel, string scope)
    {
        OnnxExport.RequireFloat(input, "PositionalEncoding");
        if (input.Rank != 3 || !input.Shape[2].Equals(OnnxDim.Fixed(dModel)) || (input.Shape[1].IsFixed && input.Shape[1].Size > maxLength))
            throw new ArgumentException($"A positional encoding expects input [B, T ≤ {maxLength}, {dModel}] but got {input}.", nameof(input));
        string steps = graph.AddNode("Slice", [graph.AddNode("Shape", [input.Name], scope), graph.Int64Constant(1), graph.Int64Constant(2)], scope);
        string rows = graph.AddNode("Slice", [table.Name, graph.Int64Constant(0), steps, graph.Int64Constant(0)], scope);
        return input.As(graph.AddNode("Add", [input.Name, rows], scope));
    }
}
