using Microsoft.ML;
using Microsoft.ML.Data;

namespace MLNetExt.Transforms.Saving;

/// <summary>
/// One column of values in memory, in order: the <c>keyData</c> that ML.NET's <c>MapValueToKey</c> builds a key type
/// from, so that a saved model's predicted keys carry the same key values, in the same order, as the native ones.
/// </summary>
internal sealed class ValuesDataView<T> : IDataView
{
    private readonly T[] _values;

    public ValuesDataView(string columnName, PrimitiveDataViewType type, T[] values)
    {
        _values = values;
        var builder = new DataViewSchema.Builder();
        builder.AddColumn(columnName, type);
        Schema = builder.ToSchema();
    }

    public bool CanShuffle => false;

    public DataViewSchema Schema { get; }

    public long? GetRowCount() => _values.Length;

    public DataViewRowCursor GetRowCursor(IEnumerable<DataViewSchema.Column> columnsNeeded, Random? rand = null) => new Cursor(this);

    public DataViewRowCursor[] GetRowCursorSet(IEnumerable<DataViewSchema.Column> columnsNeeded, int n, Random? rand = null) => [new Cursor(this)];

    private sealed class Cursor(ValuesDataView<T> view) : DataViewRowCursor
    {
        private long _position = -1;

        public override long Position => _position;

        public override long Batch => 0;

        public override DataViewSchema Schema => view.Schema;

        public override bool MoveNext() => ++_position < view._values.Length;

        public override bool IsColumnActive(DataViewSchema.Column column) => column.Index == 0;

        public override ValueGetter<TValue> GetGetter<TValue>(DataViewSchema.Column column)
        {
            if (typeof(TValue) != typeof(T))
                throw new InvalidOperationException($"Column '{column.Name}' holds {typeof(T)}, not {typeof(TValue)}.");
            ValueGetter<T> getter = (ref T value) => value = view._values[_position];
            return (ValueGetter<TValue>)(object)getter;
        }

        public override ValueGetter<DataViewRowId> GetIdGetter() => (ref DataViewRowId id) => id = new DataViewRowId((ulong)_position, 0);
    }
}
