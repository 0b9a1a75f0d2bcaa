namespace MLNetExt.Data;

/// <summary>
/// A data view over an enumerable of objects (what <c>LoadFromEnumerable</c> returns): each cursor enumerates
/// the source afresh and reads members only when a getter is called, so a cursor pulls exactly the objects it
/// moves over, and the source may be endless.
/// </summary>
internal sealed class EnumerableDataView<TRow> : IDataView where TRow : class
{
    private readonly IEnumerable<TRow> _source;
    private readonly RowTypeBinding<TRow> _binding;

    public EnumerableDataView(IEnumerable<TRow> source, RowTypeBinding<TRow> binding)
    {
        _source = source;
        _binding = binding;
    }

    public bool CanShuffle => false;

    public DataViewSchema Schema => _binding.Schema;

    public long? GetRowCount() => _source is IReadOnlyCollection<TRow> collection ? collection.Count : null;

    public DataViewRowCursor GetRowCursor(IEnumerable<DataViewSchema.Column> columnsNeeded, Random? rand = null) =>
        new Cursor(this, columnsNeeded);

    public DataViewRowCursor[] GetRowCursorSet(IEnumerable<DataViewSchema.Column> columnsNeeded, int n, Random? rand = null) =>
        CursorFactory.AsSet(GetRowCursor(columnsNeeded, rand), n);

    private sealed class Cursor : RowCursorBase
    {
        private readonly EnumerableDataView<TRow> _view;
        private readonly IEnumerator<TRow> _enumerator;
        private TRow? _current;

        public Cursor(EnumerableDataView<TRow> view, IEnumerable<DataViewSchema.Column> columnsNeeded)
            : base(view.Schema, columnsNeeded)
        {
            _view = view;
            _enumerator = view._source.GetEnumerator();
        }

        protected override bool MoveNextCore()
        {
            if (!_enumerator.MoveNext())
                return false;
            _current = _enumerator.Current ?? throw new InvalidOperationException(
                $"Row {Position + 1} of the enumerable is null; every row must be a {typeof(TRow).Name} object.");
            return true;
        }

        protected override ValueGetter<TValue> CreateGetter<TValue>(DataViewSchema.Column column) =>
            _view._binding.Members[column.Index].MakeGetter<TValue>(() => _current!);

        protected override void Dispose(bool disposing)
        {
            if (disposing)
                _enumerator.Dispose();
            base.Dispose(disposing);
        }
    }
}
