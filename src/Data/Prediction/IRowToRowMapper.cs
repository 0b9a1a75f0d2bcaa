namespace MLNetExt.Data;

/// <summary>
/// Maps one input row to one output row without data views or cursors in between, as ML.NET's
/// <c>IRowToRowMapper</c>; what a <see cref="PredictionEngine{TSrc, TDst}"/> scores through.
/// </summary>
public interface IRowToRowMapper
{
    /// <summary>The schema the input rows must have.</summary>
    DataViewSchema InputSchema { get; }

    /// <summary>The schema of the rows <see cref="GetRow"/> returns.</summary>
    DataViewSchema OutputSchema { get; }

    /// <summary>The input columns needed to compute <paramref name="dependingColumns"/> of the output.</summary>
    /// <param name="dependingColumns">Columns of <see cref="OutputSchema"/>.</param>
    IEnumerable<DataViewSchema.Column> GetDependencies(IEnumerable<DataViewSchema.Column> dependingColumns);

    /// <summary>
    /// A row whose getters compute the output from <paramref name="input"/>'s current values: whenever
    /// <paramref name="input"/>'s <see cref="DataViewRow.Position"/> changes, the next getter call maps the new values.
    /// Getters are meant to be fetched once and called for every input row.
    /// </summary>
    /// <param name="input">A row of <see cref="InputSchema"/>, with the columns <see cref="GetDependencies"/> names active.</param>
    /// <param name="activeColumns">The output columns that will be read.</param>
    DataViewRow GetRow(DataViewRow input, IEnumerable<DataViewSchema.Column> activeColumns);
}
