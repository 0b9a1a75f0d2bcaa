namespace MLNetExt.Data;

/// <summary>
/// The value of a vector column, as ML.NET's <c>VBuffer&lt;T&gt;</c>: a logical vector of <see cref="Length"/>
/// items. MLNetExt keeps every vector dense, so <see cref="IsDense"/> is always true and
/// <see cref="GetValues"/> returns all <see cref="Length"/> items. The backing array may be longer than
/// <see cref="Length"/>; getters reuse it across rows (ML.NET's buffer-reuse contract), so a consumer that keeps
/// a value beyond the next call must copy it.
/// </summary>
/// <typeparam name="T">The item type (e.g. <see cref="float"/>, <see cref="ReadOnlyMemory{T}"/> of char).</typeparam>
public readonly struct VBuffer<T>
{
    private readonly T[]? _values;

    /// <summary>Creates a dense vector of <paramref name="length"/> items held in <paramref name="values"/>.</summary>
    /// <param name="length">The logical length, at least 0.</param>
    /// <param name="values">At least <paramref name="length"/> items; the first <paramref name="length"/> are used.</param>
    /// <param name="indices">Must be null: MLNetExt vectors are dense.</param>
    public VBuffer(int length, T[] values, int[]? indices = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        ArgumentNullException.ThrowIfNull(values);
        if (values.Length < length)
            throw new ArgumentException($"The values array holds {values.Length} items but the vector has length {length}.", nameof(values));
        if (indices is not null)
            throw new ArgumentException("MLNetExt vectors are dense: pass no indices.", nameof(indices));
        Length = length;
        _values = values;
    }

    /// <summary>The logical number of items.</summary>
    public int Length { get; }

    /// <summary>Whether every item is stored explicitly; always true in MLNetExt.</summary>
    public bool IsDense => true;

    /// <summary>The stored items: all <see cref="Length"/> of them.</summary>
    public ReadOnlySpan<T> GetValues() => _values is null ? default : new ReadOnlySpan<T>(_values, 0, Length);

    /// <summary>The indices of the stored items: empty, since a dense vector needs none.</summary>
    public ReadOnlySpan<int> GetIndices() => default;

    /// <summary>Every item in order, including defaults (ML.NET's <c>DenseValues</c>).</summary>
    public IEnumerable<T> DenseValues()
    {
        for (int i = 0; i < Length; i++)
            yield return _values![i];
    }

    /// <summary>The item at <paramref name="index"/>.</summary>
    /// <param name="index">An index in [0, <see cref="Length"/>).</param>
    public T GetItemOrDefault(int index)
    {
        if ((uint)index >= (uint)Length)
            throw new ArgumentOutOfRangeException(nameof(index), index, $"The vector has {Length} items.");
        return _values![index];
    }

    /// <summary>Copies the <see cref="Length"/> items to <paramref name="destination"/>.</summary>
    /// <param name="destination">A span of at least <see cref="Length"/> items.</param>
    public void CopyTo(Span<T> destination)
    {
        if (destination.Length < Length)
            throw new ArgumentException($"The destination holds {destination.Length} items but the vector has {Length}.", nameof(destination));
        GetValues().CopyTo(destination);
    }

    /// <summary>
    /// Makes <paramref name="destination"/> a dense vector of <paramref name="length"/> items, reusing its
    /// array when it is large enough, and returns the array to write the items into.
    /// </summary>
    internal static T[] PrepareDense(ref VBuffer<T> destination, int length)
    {
        T[] values = destination._values is { } existing && existing.Length >= length ? existing : new T[length];
        destination = new VBuffer<T>(length, values);
        return values;
    }

    /// <summary>Copies <paramref name="source"/> into <paramref name="destination"/>, reusing its array.</summary>
    internal static void Copy(in VBuffer<T> source, ref VBuffer<T> destination)
    {
        T[] values = PrepareDense(ref destination, source.Length);
        source.GetValues().CopyTo(values);
    }

    /// <inheritdoc />
    public override string ToString() => $"VBuffer<{typeof(T).Name}>[{Length}]";
}
