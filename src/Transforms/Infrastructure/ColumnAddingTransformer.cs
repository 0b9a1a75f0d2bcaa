using MLNetExt.Data;

namespace MLNetExt.Transforms;

/// <summary>
/// Base of the transformers that append computed columns to their input, row by row: it supplies the
/// <see cref="ITransformer"/> plumbing (output schema, the lazy transformed view), and a derived transformer only
/// binds its output columns to an input schema.
/// </summary>
public abstract class ColumnAddingTransformer : ITransformer
{
    private protected ColumnAddingTransformer()
    {
    }

    /// <summary>Always true: every output row depends on its input row alone.</summary>
    public bool IsRowToRowMapper => true;

    /// <summary>The input schema plus the added columns, which hide input columns of the same names.</summary>
    /// <param name="inputSchema">The input's schema.</param>
    /// <exception cref="ArgumentOutOfRangeException">An input column is missing or has the wrong type; the message names it.</exception>
    public DataViewSchema GetOutputSchema(DataViewSchema inputSchema)
    {
        ArgumentNullException.ThrowIfNull(inputSchema);
        return ColumnAddingDataView.OutputSchema(inputSchema, Bind(inputSchema));
    }

    /// <summary>Adds the columns, lazily: values are computed when a cursor's getter asks for them.</summary>
    /// <param name="input">The data.</param>
    /// <exception cref="ArgumentOutOfRangeException">An input column is missing or has the wrong type; the message names it.</exception>
    public IDataView Transform(IDataView input)
    {
        ArgumentNullException.ThrowIfNull(input);
        return new ColumnAddingDataView(input, Bind(input.Schema));
    }

    /// <summary>Checks <paramref name="schema"/> and describes the columns to add, with their getters.</summary>
    private protected abstract AddedColumn[] Bind(DataViewSchema schema);
}
