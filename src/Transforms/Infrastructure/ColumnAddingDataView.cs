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
        int inputCount = _input.Schema.Count;
        var needed = new List<DataViewSchema.Column>();
        for (int i = 0; i < active.Length; i++)
        {
            if (!active[i])
                continue;
            if (i < inputCount)
                needed.Add(_input.Schema[i]);
            else
                needed.AddRange(_added[i - inputCount].Dependencies);
        }
        return new Cursor(this, open([.. needed.DistinctBy(c => c.Index)]), active);
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
            int inputCount = view._input.Schema.Count;
            if (column.Index < inputCount)
                return input.GetGetter<TValue>(view._input.Schema[column.Index]);
            if (Schema[column.Index].Type.RawType != typeof(TValue))
                throw new InvalidOperationException(
                    $"Invalid TValue in GetGetter for column '{column.Name}': the column has type {column.Type}, read as {column.Type.RawType}, but the getter was asked for {typeof(TValue)}.");
            return view._added[column.Index - inputCount].Getter.Make<TValue>(input);
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
