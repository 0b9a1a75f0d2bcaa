using Microsoft.ML;
using Microsoft.ML.Data;

namespace MLNetExt.Transforms;

/// <summary>
/// The output of a row-to-row transform: the input's columns followed by the added ones (an added column with an
/// input column's name hides it). Lazy: a cursor computes only the requested added columns, reading only the input
/// columns they depend on.
/// </summary>
internal sealed class ColumnAddingDataView : IDataView
{
    private readonly IDataView _input;
    private readonly IReadOnlyList<AddedColumn> _added;

    public ColumnAddingDataView(IDataView input, IReadOnlyList<AddedColumn> added)
    {
        _input = input;
        _added = added;
        Schema = OutputSchema(input.Schema, added);
    }

    /// <summary>The schema of <paramref name="input"/> with <paramref name="added"/> appended.</summary>
    public static DataViewSchema OutputSchema(DataViewSchema input, IReadOnlyList<AddedColumn> added)
    {
        var builder = new DataViewSchema.Builder();
        builder.AddColumns(input);
        builder.AddColumns(added.Select(a => a.Column));
        return builder.ToSchema();
    }

    public bool CanShuffle => _input.CanShuffle;

    public DataViewSchema Schema { get; }

    public long? GetRowCount() => _input.GetRowCount();

    public DataViewRowCursor GetRowCursor(IEnumerable<DataViewSchema.Column> columnsNeeded, Random? rand = null) =>
        Wrap(columnsNeeded, needed => _input.GetRowCursor(needed, rand));

    public DataViewRowCursor[] GetRowCursorSet(IEnumerable<DataViewSchema.Column> columnsNeeded, int n, Random? rand = null)
    {
        DataViewRowCursor[]? inputs = null;
        var first = Wrap(columnsNeeded, needed => (inputs = _input.GetRowCursorSet(needed, n, rand))[0]);
        return [first, .. inputs!.Skip(1).Select(input => new Cursor(this, input, ActiveOf(columnsNeeded)))];
    }

    private DataViewRowCursor Wrap(IEnumerable<DataViewSchema.Column> columnsNeeded, Func<List<DataViewSchema.Column>, DataViewRowCursor> open)
    {
        var active = ActiveOf(columnsNeeded);
        return new Cursor(this, open([.. InputColumnsFor(_input.Schema, _added, Schema.Where(c => active[c.Index]))]), active);
    }

    /// <summary>The input columns that output columns <paramref name="outputColumns"/> read: themselves when they are input columns, their dependencies when added.</summary>
    public static IEnumerable<DataViewSchema.Column> InputColumnsFor(DataViewSchema input, IReadOnlyList<AddedColumn> added,
        IEnumerable<DataViewSchema.Column> outputColumns) =>
        outputColumns.SelectMany(c => c.Index < input.Count ? [input[c.Index]] : added[c.Index - input.Count].Dependencies).DistinctBy(c => c.Index);

    /// <summary>
    /// The getter of output column <paramref name="column"/> over the input row <paramref name="input"/>: the input's
    /// own getter for an input column, the added column's getter otherwise.
    /// </summary>
    public static ValueGetter<TValue> GetterFor<TValue>(DataViewSchema inputSchema, DataViewSchema outputSchema, IReadOnlyList<AddedColumn> added,
        DataViewRow input, DataViewSchema.Column column)
    {
        int inputCount = inputSchema.Count;
        if (column.Index < inputCount)
            return input.GetGetter<TValue>(inputSchema[column.Index]);
        if (outputSchema[column.Index].Type.RawType != typeof(TValue))
            throw new InvalidOperationException(
                $"Invalid TValue in GetGetter for column '{column.Name}': the column has type {column.Type}, read as {column.Type.RawType}, but the getter was asked for {typeof(TValue)}.");
        return added[column.Index - inputCount].Getter.Make<TValue>(input);
    }

    private bool[] ActiveOf(IEnumerable<DataViewSchema.Column> columnsNeeded)
    {
        ArgumentNullException.ThrowIfNull(columnsNeeded);
        var active = new bool[Schema.Count];
        foreach (var column in columnsNeeded)
        {
            if ((uint)column.Index >= (uint)Schema.Count || Schema[column.Index].Name != column.Name)
                throw new ArgumentOutOfRangeException(nameof(columnsNeeded), $"Column '{column.Name}' (index {column.Index}) is not a column of this data view.");
            active[column.Index] = true;
        }
        return active;
    }

    private sealed class Cursor(ColumnAddingDataView view, DataViewRowCursor input, bool[] active) : DataViewRowCursor
    {
        public override long Position => input.Position;

        public override long Batch => input.Batch;

        public override DataViewSchema Schema => view.Schema;

        public override bool MoveNext() => input.MoveNext();

        public override bool IsColumnActive(DataViewSchema.Column column) =>
            (uint)column.Index < (uint)active.Length && active[column.Index];

        public override ValueGetter<TValue> GetGetter<TValue>(DataViewSchema.Column column)
        {
            if (!IsColumnActive(column) || Schema[column.Index].Name != column.Name)
                throw new InvalidOperationException($"Column '{column.Name}' was not requested when the cursor was opened, so it cannot be read.");
            return GetterFor<TValue>(view._input.Schema, Schema, view._added, input, column);
        }

        public override ValueGetter<DataViewRowId> GetIdGetter() => input.GetIdGetter();

        protected override void Dispose(bool disposing)
        {
            if (disposing)
                input.Dispose();
            base.Dispose(disposing);
        }
    }
}
