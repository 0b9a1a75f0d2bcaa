namespace MLNetExt.Core.Modules.Attention;

/// <summary>The activation of a transformer layer's feed-forward block (PyTorch's <c>activation="relu"</c> or <c>"gelu"</c>).</summary>
public enum TransformerActivation
{
    /// <summary>max(0, x), PyTorch's default.</summary>
    Relu,

    /// <summary>The exact GELU, x·Φ(x).</summary>
    Gelu,
}
