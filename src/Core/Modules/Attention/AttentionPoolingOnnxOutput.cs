using MLNetExt.Core.Onnx;

namespace MLNetExt.Core.Modules.Attention;

/// <summary>The values an exported <see cref="AttentionPooling"/> produces.</summary>
/// <param name="Context">c, [B, D].</param>
/// <param name="Weights">α, [B, T].</param>
public sealed record AttentionPoolingOnnxOutput(OnnxValue Context, OnnxValue Weights);
