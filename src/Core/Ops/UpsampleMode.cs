namespace MLNetExt.Core.Ops;

/// <summary>How <see cref="UpsampleOp"/> computes an output pixel from the input grid.</summary>
public enum UpsampleMode
{
    /// <summary>Copies the input pixel at ⌊output index · scale⌋ (PyTorch's <c>"nearest"</c>).</summary>
    Nearest,

    /// <summary>Interpolates linearly between the four surrounding input pixels (PyTorch's <c>"bilinear"</c>).</summary>
    Bilinear,
}
