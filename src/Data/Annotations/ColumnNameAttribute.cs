namespace MLNetExt.Data;

/// <summary>The name of the column a member maps to, when not the member's own name (ML.NET's <c>ColumnNameAttribute</c>).</summary>
[AttributeUsage(AttributeTargets.Field | AttributeTargets.Property, AllowMultiple = false)]
public sealed class ColumnNameAttribute : Attribute
{
    /// <summary>Maps the member to column <paramref name="name"/>.</summary>
    /// <param name="name">The column name.</param>
    public ColumnNameAttribute(string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        Name = name;
    }

    /// <summary>The column name.</summary>
    public string Name { get; }
}
