namespace MLNetExt.Data;

/// <summary>The number of keys of a key-typed text loader column, as ML.NET's <c>KeyCount</c>.</summary>
public sealed class KeyCount
{
    /// <summary>A key column with <paramref name="count"/> keys.</summary>
    /// <param name="count">The number of keys, at least 1.</param>
    public KeyCount(ulong count)
    {
        if (count == 0 || count > uint.MaxValue)
            throw new ArgumentOutOfRangeException(nameof(count), count, $"A key count must be between 1 and {uint.MaxValue}.");
        Count = count;
    }

    /// <summary>The number of keys.</summary>
    public ulong Count { get; }
}
