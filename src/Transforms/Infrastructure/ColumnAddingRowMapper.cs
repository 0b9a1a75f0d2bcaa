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
        int inputCount = InputSchema.Count;
        var needed = new List<DataViewSchema.Column>();
        foreach (var column in dependingColumns)
        {
            if (column.Index < inputCount)
                needed.Add(InputSchema[column.Index]);
            else
                needed.AddRange(_added[column.Index - inputCount].Dependencies);
        }
        return needed.DistinctBy(c => c.Index);
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

        public override ValueGetter<TValue> GetGetter<TValue>(DataViewSchema.Column column)
        {
            int inputCount = mapper.InputSchema.Count;
            if (column.Index < inputCount)
                return input.GetGetter<TValue>(mapper.InputSchema[column.Index]);
            if (Schema[column.Index].Type.RawType != typeof(TValue))
                throw new InvalidOperationException(
                    $"Invalid TValue in GetGetter for column '{column.Name}': the column has type {column.Type}, read as {column.Type.RawType}, but the getter was asked for {typeof(TValue)}.");
            return mapper._added[column.Index - inputCount].Getter.Make<TValue>(input);
        }

        public override ValueGetter<DataViewRowId> GetIdGetter() => input.GetIdGetter();
    }
}
