namespace MLNetExt.Data;

/// <summary>
/// The text column type, as ML.NET's <c>TextDataViewType</c>: values travel as <see cref="ReadOnlyMemory{T}"/> of
/// <see cref="char"/> so that a loader can hand out slices without copying; a missing text is empty.
/// </summary>
public sealed class TextDataViewType : PrimitiveDataViewType
{
    private TextDataViewType() : base(typeof(ReadOnlyMemory<char>))
    {
    }

    /// <summary>The single instance of this type.</summary>
    public static TextDataViewType Instance { get; } = new();

    /// <inheritdoc />
    public override bool Equals(DataViewType? other) => ReferenceEquals(this, other);

    /// <inheritdoc />
    public override bool Equals(object? obj) => ReferenceEquals(this, obj);

    /// <inheritdoc />
    public override int GetHashCode() => RawType.GetHashCode();

    /// <inheritdoc />
    public override string ToString() => "String";
}
