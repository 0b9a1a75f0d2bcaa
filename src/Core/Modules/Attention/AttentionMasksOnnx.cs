using MLNetExt.Core.Onnx;

namespace MLNetExt.Core.Modules.Attention;

/// <summary>The additive masks of exported self-attention, built once and read by every layer of an encoder: padding [B, 1, 1, S], causal [S, S].</summary>
internal readonly record struct AttentionMasksOnnx(string? PaddingBias, string? CausalBias)
{
    public static AttentionMasksOnnx Build(OnnxGraphBuilder graph, OnnxValue input, OnnxValue? lengths, bool causal, string scope)
    {
        string? padding = lengths is null ? null
            : graph.AddNode("Unsqueeze", [AttentionOnnx.KeyPaddingBias(graph, input, lengths, scope), graph.Int64Constant(1, 2)], scope);
        return new AttentionMasksOnnx(padding, causal ? AttentionOnnx.CausalBias(graph, input, scope) : null);
    }
}
