namespace MLNetExt.Data;

/// <summary>
/// A 128-bit row identifier, as ML.NET's <c>DataViewRowId</c>: unique per row of a data view and stable across
/// cursors, so that rows can be told apart (and hashed) however they are shuffled.
/// </summary>
public readonly struct DataViewRowId : IEquatable<DataViewRowId>
{
    /// <summary>Creates an id from its two halves.</summary>
    /// <param name="low">The low 64 bits.</param>
    /// <param name="high">The high 64 bits.</param>
    public DataViewRowId(ulong low, ulong high)
    {
        Low = low;
        High = high;
    }

    /// <summary>The low 64 bits.</summary>
    public ulong Low { get; }

    /// <summary>The high 64 bits.</summary>
    public ulong High { get; }

    /// <inheritdoc />
    public bool Equals(DataViewRowId other) => Low == other.Low && High == other.High;

    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is DataViewRowId other && Equals(other);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Low, High);

    /// <summary>Whether two ids are equal.</summary>
    public static bool operator ==(DataViewRowId left, DataViewRowId right) => left.Equals(right);

    /// <summary>Whether two ids differ.</summary>
    public static bool operator !=(DataViewRowId left, DataViewRowId right) => !left.Equals(right);

    /// <inheritdoc />
    public override string ToString() => $"{High:X16}{Low:X16}";
}
