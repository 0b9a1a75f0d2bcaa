namespace MLNetExt.Data;

/// <summary>
/// A vector column type, as ML.NET's <c>VectorDataViewType</c>: values are <see cref="VBuffer{T}"/> of the item
/// type's raw type. The vector is fixed size when every dimension is positive (its <see cref="Size"/> is their
/// product, e.g. [C, H, W] for an image tensor) and variable size when a dimension is 0 (<see cref="Size"/> 0).
/// </summary>
public sealed class VectorDataViewType : DataViewType
{
    /// <summary>Creates a vector of <paramref name="itemType"/> with the given dimensions.</summary>
    /// <param name="itemType">The type of the items.</param>
    /// <param name="dimensions">
    /// The dimensions, each 0 (unknown) or positive; none at all means a variable-size vector.
    /// </param>
    public VectorDataViewType(PrimitiveDataViewType itemType, params int[] dimensions)
        : base(VBufferTypeOf(itemType))
    {
        ArgumentNullException.ThrowIfNull(dimensions);
        ItemType = itemType;
        if (dimensions.Length == 0)
        {
            Dimensions = [0];
            return;
        }
        long size = 1;
        foreach (int d in dimensions)
        {
            if (d < 0)
                throw new ArgumentOutOfRangeException(nameof(dimensions), d, "Vector dimensions must be 0 (unknown) or positive.");
            size *= d;
        }
        if (size > int.MaxValue)
            throw new ArgumentOutOfRangeException(nameof(dimensions), size, "A vector holds at most int.MaxValue items.");
        Dimensions = [.. dimensions];
        Size = (int)size;
    }

    /// <summary>The type of the items.</summary>
    public PrimitiveDataViewType ItemType { get; }

    /// <summary>The dimensions; a 0 means that dimension's length is not fixed.</summary>
    public System.Collections.Immutable.ImmutableArray<int> Dimensions { get; }

    /// <summary>The number of items when the size is fixed, otherwise 0.</summary>
    public int Size { get; }

    /// <summary>Whether the vector has the same number of items in every row.</summary>
    public bool IsKnownSize => Size > 0;

    private static Type VBufferTypeOf(PrimitiveDataViewType itemType)
    {
        ArgumentNullException.ThrowIfNull(itemType);
        return typeof(VBuffer<>).MakeGenericType(itemType.RawType);
    }

    /// <inheritdoc />
    public override bool Equals(DataViewType? other) =>
        other is VectorDataViewType v && v.ItemType.Equals(ItemType) && v.Dimensions.SequenceEqual(Dimensions);

    /// <inheritdoc />
    public override int GetHashCode()
    {
        var hash = new HashCode();
        hash.Add(ItemType);
        foreach (int d in Dimensions)
            hash.Add(d);
        return hash.ToHashCode();
    }

    /// <inheritdoc />
    public override string ToString() =>
        IsKnownSize ? $"Vector<{ItemType}, {string.Join(", ", Dimensions)}>" : $"Vector<{ItemType}>";
}
