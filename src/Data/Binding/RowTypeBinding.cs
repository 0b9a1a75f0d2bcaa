namespace MLNetExt.Data;

/// <summary>
/// All column bindings of <typeparamref name="TRow"/> for one schema definition, with the schema they make.
/// The binding of the default definition (attributes only) is built once per type and cached.
/// </summary>
internal sealed class RowTypeBinding<TRow> where TRow : class
{
    private static readonly Lazy<RowTypeBinding<TRow>> s_readBinding =
        new(() => new RowTypeBinding<TRow>(SchemaDefinition.Create(typeof(TRow), SchemaDefinition.Direction.Read)));

    private static readonly Lazy<RowTypeBinding<TRow>> s_writeBinding =
        new(() => new RowTypeBinding<TRow>(SchemaDefinition.Create(typeof(TRow), SchemaDefinition.Direction.Write)));

    private RowTypeBinding(SchemaDefinition definition)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var column in definition)
        {
            if (!names.Add(column.ColumnName))
                throw new ArgumentException($"The schema definition of {typeof(TRow).Name} has two columns named '{column.ColumnName}'.", nameof(definition));
        }
        Members = [.. definition.Select(MemberBinding<TRow>.Create)];
        var builder = new DataViewSchema.Builder();
        foreach (var member in Members)
            builder.AddColumn(member.ColumnName, member.ColumnType, member.Annotations);
        Schema = builder.ToSchema();
    }

    /// <summary>One binding per column, in schema order.</summary>
    public IReadOnlyList<MemberBinding<TRow>> Members { get; }

    /// <summary>The schema of a data view made of <typeparamref name="TRow"/> objects.</summary>
    public DataViewSchema Schema { get; }

    /// <summary>The binding for reading objects: the cached default, or one built for <paramref name="definition"/>.</summary>
    public static RowTypeBinding<TRow> ForReading(SchemaDefinition? definition) =>
        definition is null ? s_readBinding.Value : new RowTypeBinding<TRow>(definition);

    /// <summary>The cached binding for writing objects from the attributes of <typeparamref name="TRow"/>.</summary>
    public static RowTypeBinding<TRow> ForWriting() => s_writeBinding.Value;
}
