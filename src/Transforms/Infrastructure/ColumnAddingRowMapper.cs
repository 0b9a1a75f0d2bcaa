using Microsoft.ML;
using Microsoft.ML.Data;

namespace MLNetExt.Transforms;

/// <summary>
/// The row-to-row mapper of a <see cref="ColumnAddingTransformer"/>: the output row shows the input row's columns
/// and the added ones, computed from the input row when their getters are called.
/// </summary>
internal sealed class ColumnAddingRowMapper : IRowToRowMapper
{
    private readonly IReadOnlyList<AddedColumn> _added;

    public ColumnAddingRowMapper(DataViewSchema inputSchema, IReadOnlyList<AddedColumn> added)
    {
        InputSchema = inputSchema;
        _added = added;
        OutputSchema = ColumnAddingDataView.OutputSchema(inputSchema, added);
    }

    public DataViewSchema InputSchema { get; }

    public DataViewSchema OutputSchema { get; }

    public IEnumerable<DataViewSchema.Column> GetDependencies(IEnumerable<DataViewSchema.Column> dependingColumns)
    {
        ArgumentNullException.ThrowIfNull(dependingColumns);
        return ColumnAddingDataView.InputColumnsFor(InputSchema, _added, dependingColumns);
    }

    public DataViewRow GetRow(DataViewRow input, IEnumerable<DataViewSchema.Column> activeColumns)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(activeColumns);
        var active = new bool[OutputSchema.Count];
        foreach (var column in activeColumns)
            active[column.Index] = true;
        return new Row(this, input, active);
    }

    private sealed class Row(ColumnAddingRowMapper mapper, DataViewRow input, bool[] active) : DataViewRow
    {
        public override long Position => input.Position;

        public override long Batch => input.Batch;

        public override DataViewSchema Schema => mapper.OutputSchema;

        public override bool IsColumnActive(DataViewSchema.Column column) =>
            (uint)column.Index < (uint)active.Length && active[column.Index];

        public override ValueGetter<TValue> GetGetter<TValue>(DataViewSchema.Column column) =>
            ColumnAddingDataView.GetterFor<TValue>(mapper.InputSchema, Schema, mapper._added, input, column);

        public override ValueGetter<DataViewRowId> GetIdGetter() => input.GetIdGetter();
    }
}
