namespace MLNetExt.Core.Onnx;

/// <summary>
/// One dimension of an ONNX value's shape: a fixed size, or a symbolic name (such as <c>N</c> for the batch) whose
/// size is known only when the model runs. Converts implicitly from a number and from a name, so a shape reads
/// <c>["N", 4]</c>.
/// </summary>
public readonly record struct OnnxDim
{
    private OnnxDim(long size, string? symbol)
    {
        Size = size;
        Symbol = symbol;
    }

    /// <summary>The fixed size; meaningful only when <see cref="IsFixed"/>.</summary>
    public long Size { get; }

    /// <summary>The symbolic name, or null for a fixed size.</summary>
    public string? Symbol { get; }

    /// <summary>True for a fixed size, false for a symbolic one.</summary>
    public bool IsFixed => Symbol is null;

    /// <summary>A fixed size.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="size"/> is negative.</exception>
    public static OnnxDim Fixed(long size)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(size);
        return new OnnxDim(size, null);
    }

    /// <summary>A symbolic size.</summary>
    /// <exception cref="ArgumentException"><paramref name="symbol"/> is empty.</exception>
    public static OnnxDim Named(string symbol)
    {
        ArgumentException.ThrowIfNullOrEmpty(symbol);
        return new OnnxDim(0, symbol);
    }

    /// <summary>A fixed size.</summary>
    public static implicit operator OnnxDim(long size) => Fixed(size);

    /// <summary>A symbolic size.</summary>
    public static implicit operator OnnxDim(string symbol) => Named(symbol);

    /// <inheritdoc />
    public override string ToString() => Symbol ?? Size.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
