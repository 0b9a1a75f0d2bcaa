namespace MLNetExt.Data;

/// <summary>
/// Turns each row into a number in [0, 1) that depends only on the seed and the row's sampling key (its id, or
/// the value of a chosen column), so that a split is reproducible, needs no pass over the data, and keeps rows
/// with equal keys together.
/// </summary>
internal static class SamplingKey
{
    /// <summary>Checks that <paramref name="column"/> can be a sampling key: a scalar of a type that hashes.</summary>
    /// <exception cref="ArgumentOutOfRangeException">It cannot; the message names the column and its type.</exception>
    public static void Validate(DataViewSchema.Column column)
    {
        if (column.Type is not (PrimitiveDataViewType and (NumberDataViewType or KeyDataViewType or BooleanDataViewType or TextDataViewType)))
            throw new ArgumentOutOfRangeException("samplingKeyColumnName",
                $"Schema mismatch for sampling key column '{column.Name}': expected a scalar Single, Double, Int32, UInt32, Boolean, key or String column, got {column.Type}.");
    }

    /// <summary>Makes a function giving the current row's uniform number, reading <paramref name="keyColumn"/> or the row id.</summary>
    public static Func<double> Create(DataViewRowCursor cursor, DataViewSchema.Column? keyColumn, ulong seed)
    {
        Func<ulong> hash = keyColumn is not { } column ? RowIdHash(cursor) : column.Type switch
        {
            TextDataViewType => TextHash(cursor.GetGetter<ReadOnlyMemory<char>>(column)),
            var t when t.RawType == typeof(float) => BitsHash(cursor.GetGetter<float>(column), v => (ulong)BitConverter.SingleToUInt32Bits(NormalizeZero(v))),
            var t when t.RawType == typeof(double) => BitsHash(cursor.GetGetter<double>(column), v => BitConverter.DoubleToUInt64Bits(v == 0 ? 0 : v)),
            var t when t.RawType == typeof(int) => BitsHash(cursor.GetGetter<int>(column), v => (ulong)(uint)v),
            var t when t.RawType == typeof(uint) => BitsHash(cursor.GetGetter<uint>(column), v => v),
            var t when t.RawType == typeof(bool) => BitsHash(cursor.GetGetter<bool>(column), v => v ? 1UL : 0UL),
            _ => throw new InvalidOperationException($"Sampling key column '{column.Name}' was not validated."),
        };
        return () => ToUnit(Mix(hash() ^ Mix(seed)));
    }

    private static float NormalizeZero(float value) => value == 0 ? 0 : value;

    private static Func<ulong> RowIdHash(DataViewRowCursor cursor)
    {
        var getter = cursor.GetIdGetter();
        DataViewRowId id = default;
        return () =>
        {
            getter(ref id);
            return Mix(id.Low) ^ id.High;
        };
    }

    private static Func<ulong> BitsHash<T>(ValueGetter<T> getter, Func<T, ulong> bits)
    {
        T value = default!;
        return () =>
        {
            getter(ref value);
            return bits(value);
        };
    }

    /// <summary>FNV-1a over the UTF-16 code units: stable across processes, unlike string.GetHashCode.</summary>
    private static Func<ulong> TextHash(ValueGetter<ReadOnlyMemory<char>> getter)
    {
        ReadOnlyMemory<char> value = default;
        return () =>
        {
            getter(ref value);
            ulong hash = 14695981039346656037UL;
            foreach (char c in value.Span)
                hash = (hash ^ c) * 1099511628211UL;
            return hash;
        };
    }

    /// <summary>SplitMix64's finalizer: spreads every input bit over the output.</summary>
    private static ulong Mix(ulong z)
    {
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    private static double ToUnit(ulong bits) => (bits >> 11) * (1.0 / (1UL << 53));
}
