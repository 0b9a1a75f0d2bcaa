namespace MLNetExt.Data;

/// <summary>
/// Declares an array member a fixed-size vector column with the given dimensions (ML.NET's
/// <c>VectorTypeAttribute</c>); without it an array member is a variable-size vector.
/// </summary>
[AttributeUsage(AttributeTargets.Field | AttributeTargets.Property, AllowMultiple = false)]
public sealed class VectorTypeAttribute : Attribute
{
    /// <summary>A variable-size vector.</summary>
    public VectorTypeAttribute() => Dims = [];

    /// <summary>A vector of <paramref name="size"/> items (0: variable size).</summary>
    /// <param name="size">The number of items.</param>
    public VectorTypeAttribute(int size) => Dims = [size];

    /// <summary>A vector with the given dimensions, e.g. (3, 32, 32) for a CHW image tensor.</summary>
    /// <param name="dimensions">The dimensions.</param>
    public VectorTypeAttribute(params int[] dimensions) => Dims = dimensions ?? [];

    /// <summary>The dimensions.</summary>
    public int[] Dims { get; }
}
