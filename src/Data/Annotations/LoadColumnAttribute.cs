namespace MLNetExt.Data;

/// <summary>
/// Where a text loader finds a member's value, as ML.NET's <c>LoadColumnAttribute</c>: one field index, or an
/// inclusive range of field indices that make a vector.
/// </summary>
[AttributeUsage(AttributeTargets.Field | AttributeTargets.Property, AllowMultiple = false)]
public sealed class LoadColumnAttribute : Attribute
{
    /// <summary>Loads the member from field <paramref name="fieldIndex"/> (0-based).</summary>
    /// <param name="fieldIndex">The 0-based field index.</param>
    public LoadColumnAttribute(int fieldIndex) : this(fieldIndex, fieldIndex)
    {
        IsRange = false;
    }

    /// <summary>Loads the member, a vector, from fields <paramref name="start"/> to <paramref name="end"/> inclusive.</summary>
    /// <param name="start">The first 0-based field index.</param>
    /// <param name="end">The last 0-based field index, at least <paramref name="start"/>.</param>
    public LoadColumnAttribute(int start, int end)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(start);
        ArgumentOutOfRangeException.ThrowIfLessThan(end, start);
        Start = start;
        End = end;
        IsRange = true;
    }

    /// <summary>The first field index.</summary>
    public int Start { get; }

    /// <summary>The last field index (inclusive).</summary>
    public int End { get; }

    /// <summary>Whether the attribute gave a range (a vector) rather than a single field.</summary>
    internal bool IsRange { get; }
}
