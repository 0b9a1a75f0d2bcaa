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
}
