using MLNetExt.Core.Onnx;

namespace MLNetExt.Core.Modules.Attention;

/// <summary>Graph pieces shared by the attention layers' ONNX exports.</summary>
internal static class AttentionOnnx
{
    /// <summary>
    /// The additive key-padding mask of sequences [B, S, ·] with true lengths <paramref name="lengths"/> (int32 [B]):
    /// −∞ at positions s ≥ length, 0 elsewhere, shaped [B, S] (the sequence length may be symbolic).
    /// </summary>
    /// <exception cref="ArgumentException">The lengths are not int32 [B].</exception>
    public static string KeyPaddingBias(OnnxGraphBuilder graph, OnnxValue sequences, OnnxValue lengths, string scope)
    {
        if (lengths.ElementType != OnnxElementType.Int32 || lengths.Rank != 1)
            throw new ArgumentException($"Attention expects lengths as int32 [B] but got {lengths}.", nameof(lengths));
        string steps = Scalar(graph, graph.AddNode("Slice", [graph.AddNode("Shape", [sequences.Name], scope), graph.Int64Constant(1), graph.Int64Constant(2)], scope), scope);
        string positions = graph.AddNode("Range", [Scalar(graph, graph.Int64Constant(0), scope), steps, Scalar(graph, graph.Int64Constant(1), scope)], scope);
        string lengths64 = graph.AddNode("Cast", [lengths.Name], scope, OnnxAttribute.Int("to", (long)OnnxElementType.Int64));
        string column = graph.AddNode("Unsqueeze", [lengths64, graph.Int64Constant(1)], scope);
        string excluded = graph.AddNode("GreaterOrEqual", [positions, column], scope);
        return graph.AddNode("Where", [excluded, graph.FloatConstant(float.NegativeInfinity), graph.FloatConstant(0f)], scope);
    }

    /// <summary>The causal mask [S, S] of sequences [B, S, ·]: −∞ above the diagonal (a later key), 0 on and below it.</summary>
    public static string CausalBias(OnnxGraphBuilder graph, OnnxValue sequences, string scope)
    {
        string steps = graph.AddNode("Slice", [graph.AddNode("Shape", [sequences.Name], scope), graph.Int64Constant(1), graph.Int64Constant(2)], scope);
        string square = graph.AddNode("Concat", [steps, steps], scope, OnnxAttribute.Int("axis", 0));
        string filled = graph.AddNode("Expand", [graph.FloatConstant(float.NegativeInfinity), square], scope);
        return graph.AddNode("Trilu", [filled, Scalar(graph, graph.Int64Constant(1), scope)], scope, OnnxAttribute.Int("upper", 1));
    }

    // A one-element int64 vector [1] as a scalar []: Range and Trilu read scalars.
    private static string Scalar(OnnxGraphBuilder graph, string vector, string scope)
        => graph.AddNode("Squeeze", [vector, graph.Int64Constant(0)], scope);
}
