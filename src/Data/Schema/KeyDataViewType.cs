namespace MLNetExt.Data;

/// <summary>
/// A key column type, as ML.NET's <c>KeyDataViewType</c>: an index into a set of <see cref="Count"/> values
/// (e.g. the vocabulary of a text column), carried as a <see cref="uint"/> where 0 means missing and
/// 1..<see cref="Count"/> are the valid keys.
/// </summary>
public sealed class KeyDataViewType : PrimitiveDataViewType
{
    /// <summary>Creates a key type of <paramref name="count"/> keys carried as <paramref name="type"/>.</summary>
    /// <param name="type">The raw type of the keys; MLNetExt carries keys as <see cref="uint"/> only.</param>
    /// <param name="count">The number of valid keys, at least 1 and at most <see cref="uint.MaxValue"/>.</param>
    public KeyDataViewType(Type type, ulong count) : base(CheckRawType(type))
    {
        if (count == 0 || count > uint.MaxValue)
            throw new ArgumentOutOfRangeException(nameof(count), count, $"A key type needs a count between 1 and {uint.MaxValue}.");
        Count = count;
    }

    /// <summary>Creates a key type of <paramref name="count"/> keys carried as <paramref name="type"/>.</summary>
    /// <param name="type">The raw type of the keys; MLNetExt carries keys as <see cref="uint"/> only.</param>
    /// <param name="count">The number of valid keys, at least 1.</param>
    public KeyDataViewType(Type type, int count) : this(type, count > 0 ? (ulong)count
        : throw new ArgumentOutOfRangeException(nameof(count), count, "A key type needs a count of at least 1."))
    {
    }

    /// <summary>The number of valid keys; values run from 1 to <see cref="Count"/>, 0 is missing.</summary>
    public ulong Count { get; }

    private static Type CheckRawType(Type type)
    {
        ArgumentNullException.ThrowIfNull(type);
        if (type != typeof(uint))
            throw new ArgumentException($"Keys are carried as System.UInt32 in MLNetExt, not as {type}.", nameof(type));
        return type;
    }

    /// <inheritdoc />
    public override bool Equals(DataViewType? other) => other is KeyDataViewType key && key.Count == Count;

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(RawType, Count);

    /// <inheritdoc />
    public override string ToString() => $"Key<UInt32, 0-{Count - 1}>";
}
