using Microsoft.ML.Data;

namespace MLNetExt.Transforms;

/// <summary>Code generic in a column's item type, called with the raw type that <see cref="ItemTypes.Visit{TResult}"/> picks.</summary>
/// <typeparam name="TResult">What the code returns.</typeparam>
internal interface IItemTypeVisitor<out TResult>
{
    /// <summary>Runs for items of raw type <typeparamref name="T"/>.</summary>
    TResult Visit<T>() where T : struct;
}

/// <summary>The raw item types of the primitive column types, and the comparisons transforms need on them.</summary>
internal static class ItemTypes
{
    /// <summary>Calls <paramref name="visitor"/> with the raw type of <paramref name="itemType"/>.</summary>
    /// <exception cref="ArgumentException">The type is not one of the primitive column types.</exception>
    public static TResult Visit<TResult>(DataViewType itemType, IItemTypeVisitor<TResult> visitor)
    {
        var raw = itemType.RawType;
        return raw == typeof(float) ? visitor.Visit<float>()
            : raw == typeof(double) ? visitor.Visit<double>()
            : raw == typeof(int) ? visitor.Visit<int>()
            : raw == typeof(uint) ? visitor.Visit<uint>()
            : raw == typeof(bool) ? visitor.Visit<bool>()
            : raw == typeof(ReadOnlyMemory<char>) ? visitor.Visit<ReadOnlyMemory<char>>()
            : throw new ArgumentException($"Items of type {itemType} are not supported here.", nameof(itemType));
    }

    /// <summary>Equality on values, comparing text by its characters.</summary>
    public static IEqualityComparer<T> EqualityComparer<T>() =>
        typeof(T) == typeof(ReadOnlyMemory<char>) ? (IEqualityComparer<T>)(object)TextComparer.Instance : System.Collections.Generic.EqualityComparer<T>.Default;

    /// <summary>Order on values, comparing text ordinally by its characters.</summary>
    public static IComparer<T> Comparer<T>() =>
        typeof(T) == typeof(ReadOnlyMemory<char>) ? (IComparer<T>)(object)TextComparer.Instance : System.Collections.Generic.Comparer<T>.Default;

    /// <summary>Whether a value is missing: NaN for floating point types; other types have no missing value.</summary>
    public static bool IsMissing<T>(T value) => value switch
    {
        float f => float.IsNaN(f),
        double d => double.IsNaN(d),
        _ => false,
    };

    /// <summary>The value a missing key maps back to: NaN for floating point types, the default otherwise.</summary>
    public static T Missing<T>() =>
        typeof(T) == typeof(float) ? (T)(object)float.NaN
        : typeof(T) == typeof(double) ? (T)(object)double.NaN
        : default!;

    /// <summary>A copy of <paramref name="value"/> that does not share a buffer a cursor may reuse.</summary>
    public static T Detach<T>(T value) => value is ReadOnlyMemory<char> text ? (T)(object)text.ToString().AsMemory() : value;

    /// <summary>The value as text (invariant culture), for key-value annotations written as text.</summary>
    public static ReadOnlyMemory<char> ToText<T>(T value) => value switch
    {
        ReadOnlyMemory<char> text => text,
        float f => f.ToString("R", System.Globalization.CultureInfo.InvariantCulture).AsMemory(),
        double d => d.ToString("R", System.Globalization.CultureInfo.InvariantCulture).AsMemory(),
        IFormattable f => f.ToString(null, System.Globalization.CultureInfo.InvariantCulture).AsMemory(),
        _ => (value?.ToString() ?? "").AsMemory(),
    };

    private sealed class TextComparer : IEqualityComparer<ReadOnlyMemory<char>>, IComparer<ReadOnlyMemory<char>>
    {
        public static TextComparer Instance { get; } = new();

        public bool Equals(ReadOnlyMemory<char> x, ReadOnlyMemory<char> y) => x.Span.SequenceEqual(y.Span);

        public int GetHashCode(ReadOnlyMemory<char> obj) => string.GetHashCode(obj.Span, StringComparison.Ordinal);

        public int Compare(ReadOnlyMemory<char> x, ReadOnlyMemory<char> y) => x.Span.SequenceCompareTo(y.Span);
    }
}
