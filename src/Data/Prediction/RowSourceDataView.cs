namespace MLNetExt.Data;

/// <summary>
/// A data view whose cursors show one <see cref="DataViewRow"/>'s current values as an endless sequence of rows: every
/// <see cref="DataViewRowCursor.MoveNext"/> succeeds and the getters read the row as it is at that moment. Lets a
/// transformer written against data views map single rows (see <see cref="TransformerRowMapper"/>).
/// </summary>
internal sealed class RowSourceDataView : IDataView
{
    private readonly DataViewRow _row;

    /// <param name="schema">The view's schema: that of <paramref name="row"/>, column for column.</param>
    /// <param name="row">The row whose values every cursor shows.</param>
    public RowSourceDataView(DataViewSchema schema, DataViewRow row)
    {
        if (row.Schema.Count != schema.Count)
            throw new ArgumentException($"The row has {row.Schema.Count} columns but the schema has {schema.Count}.", nameof(row));
        Schema = schema;
        _row = row;
    }

    public bool CanShuffle => false;

    public DataViewSchema Schema { get; }

    public long? GetRowCount() => null;

    public DataViewRowCursor GetRowCursor(IEnumerable<DataViewSchema.Column> columnsNeeded, Random? rand = null) =>
        new Cursor(this, columnsNeeded);

    public DataViewRowCursor[] GetRowCursorSet(IEnumerable<DataViewSchema.Column> columnsNeeded, int n, Random? rand = null) =>
        CursorFactory.AsSet(GetRowCursor(columnsNeeded, rand), n);

    private sealed class Cursor(RowSourceDataView view, IEnumerable<DataViewSchema.Column> columnsNeeded)
        : RowCursorBase(view.Schema, columnsNeeded)
    {
        protected override bool MoveNextCore() => true;

        protected override ValueGetter<TValue> CreateGetter<TValue>(DataViewSchema.Column column) =>
            view._row.GetGetter<TValue>(view._row.Schema[column.Index]);

        public override ValueGetter<DataViewRowId> GetIdGetter() => view._row.GetIdGetter();
    }
}
