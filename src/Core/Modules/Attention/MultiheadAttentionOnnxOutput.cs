using MLNetExt.Core.Onnx;

namespace MLNetExt.Core.Modules.Attention;

/// <summary>The values an exported <see cref="MultiheadAttention"/> produces.</summary>
/// <param name="Output">The attention output, [B, L, E].</param>
/// <param name="AveragedWeights">The attention weights averaged over heads, [B, L, S]: publish it as a graph output to show them.</param>
public sealed record MultiheadAttentionOnnxOutput(OnnxValue Output, OnnxValue AveragedWeights);
