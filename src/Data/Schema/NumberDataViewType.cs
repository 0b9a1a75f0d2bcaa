namespace MLNetExt.Data;

/// <summary>
/// Numeric column types, one singleton per .NET number type, as ML.NET's <c>NumberDataViewType</c>.
/// </summary>
public sealed class NumberDataViewType : PrimitiveDataViewType
{
    private readonly string _name;

    private NumberDataViewType(Type rawType, string name) : base(rawType) => _name = name;

    /// <summary>32-bit floating point values (<see cref="float"/>); a missing value is NaN.</summary>
    public static NumberDataViewType Single { get; } = new(typeof(float), "Single");

    /// <summary>64-bit floating point values (<see cref="double"/>); a missing value is NaN.</summary>
    public static NumberDataViewType Double { get; } = new(typeof(double), "Double");

    /// <summary>32-bit signed integers (<see cref="int"/>).</summary>
    public static NumberDataViewType Int32 { get; } = new(typeof(int), "Int32");

    /// <summary>32-bit unsigned integers (<see cref="uint"/>).</summary>
    public static NumberDataViewType UInt32 { get; } = new(typeof(uint), "UInt32");

    /// <inheritdoc />
    public override bool Equals(DataViewType? other) => ReferenceEquals(this, other);

    /// <inheritdoc />
    public override bool Equals(object? obj) => ReferenceEquals(this, obj);

    /// <inheritdoc />
    public override int GetHashCode() => RawType.GetHashCode();

    /// <inheritdoc />
    public override string ToString() => _name;
}
