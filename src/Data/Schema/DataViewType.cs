namespace MLNetExt.Data;

/// <summary>
/// The type of a column in an <see cref="IDataView"/>, as ML.NET's <c>Microsoft.ML.Data.DataViewType</c>: every
/// column type names the .NET type its values travel as (<see cref="RawType"/>), which is the <c>TValue</c> a
/// row's <see cref="DataViewRow.GetGetter{TValue}"/> must be asked for.
/// </summary>
public abstract class DataViewType : IEquatable<DataViewType>
{
    /// <summary>Creates a column type whose values are carried as <paramref name="rawType"/>.</summary>
    /// <param name="rawType">The .NET type of the values.</param>
    protected DataViewType(Type rawType)
    {
        ArgumentNullException.ThrowIfNull(rawType);
        RawType = rawType;
    }

    /// <summary>The .NET type the values of this column type are carried as.</summary>
    public Type RawType { get; }

    /// <summary>Whether <paramref name="other"/> is the same column type.</summary>
    public abstract bool Equals(DataViewType? other);

    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is DataViewType other && Equals(other);

    /// <inheritdoc />
    public override int GetHashCode() => RawType.GetHashCode();
}
