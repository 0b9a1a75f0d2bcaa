namespace MLNetExt.Data;

/// <summary>The boolean column type (<see cref="bool"/> values), as ML.NET's <c>BooleanDataViewType</c>.</summary>
public sealed class BooleanDataViewType : PrimitiveDataViewType
{
    private BooleanDataViewType() : base(typeof(bool))
    {
    }

    /// <summary>The single instance of this type.</summary>
    public static BooleanDataViewType Instance { get; } = new();

    /// <inheritdoc />
    public override bool Equals(DataViewType? other) => ReferenceEquals(this, other);

    /// <inheritdoc />
    public override bool Equals(object? obj) => ReferenceEquals(this, obj);

    /// <inheritdoc />
    public override int GetHashCode() => RawType.GetHashCode();

    /// <inheritdoc />
    public override string ToString() => "Boolean";
}
