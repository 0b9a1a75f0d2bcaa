namespace MLNetExt.Data;

/// <summary>
/// A fitted, immutable mapping from one data view to another, as ML.NET's <c>ITransformer</c>.
/// </summary>
public interface ITransformer
{
    /// <summary>Whether the transformer maps each row on its own (no aggregation or filtering), so it can score single rows.</summary>
    bool IsRowToRowMapper { get; }

    /// <summary>The schema <see cref="Transform"/> would produce from an input of <paramref name="inputSchema"/>.</summary>
    /// <param name="inputSchema">The input's schema.</param>
    /// <exception cref="ArgumentOutOfRangeException">The input lacks a needed column or has it with the wrong type.</exception>
    DataViewSchema GetOutputSchema(DataViewSchema inputSchema);

    /// <summary>Applies the transformation lazily: the result computes rows as cursors ask.</summary>
    /// <param name="input">The data to transform.</param>
    IDataView Transform(IDataView input);

    /// <summary>
    /// A mapper that scores single rows of <paramref name="inputSchema"/>, as ML.NET's
    /// <c>ITransformer.GetRowToRowMapper</c>. The default maps each row through <see cref="Transform"/> applied once to
    /// a one-row view that always shows the mapper's current input row, so that no schema work is repeated per row.
    /// </summary>
    /// <param name="inputSchema">The schema of the rows to map.</param>
    /// <exception cref="InvalidOperationException">The transformer is not a row-to-row mapper (<see cref="IsRowToRowMapper"/> is false).</exception>
    /// <exception cref="ArgumentOutOfRangeException">The schema lacks a needed column or has it with the wrong type.</exception>
    IRowToRowMapper GetRowToRowMapper(DataViewSchema inputSchema) => new TransformerRowMapper(this, inputSchema);
}
