namespace MLNetExt.Data;

/// <summary>
/// Declares a <see cref="uint"/> (or <see cref="uint"/> array) member a key column with <see cref="Count"/> keys,
/// as ML.NET's <c>KeyTypeAttribute</c>.
/// </summary>
[AttributeUsage(AttributeTargets.Field | AttributeTargets.Property, AllowMultiple = false)]
public sealed class KeyTypeAttribute : Attribute
{
    /// <summary>A key type with <paramref name="count"/> keys.</summary>
    /// <param name="count">The number of keys, at least 1.</param>
    public KeyTypeAttribute(ulong count)
    {
        if (count == 0)
            throw new ArgumentOutOfRangeException(nameof(count), count, "A key type needs at least one key.");
        Count = count;
    }

    /// <summary>The number of keys.</summary>
    public ulong Count { get; }
}
