namespace MLNetExt.Transforms.Tests;

/// <summary>A view whose fixed-size vector column yields a vector of the wrong length in its second row.</summary>
public sealed class WrongLengthDataView : IDataView
{
    private static readonly float[][] s_rows = [[1, 2, 3], [4, 5]];

    public WrongLengthDataView()
    {
        var builder = new DataViewSchema.Builder();
        builder.AddColumn("B", new VectorDataViewType(NumberDataViewType.Single, 3));
        Schema = builder.ToSchema();
    }

    public bool CanShuffle => false;

    public DataViewSchema Schema { get; }

    public long? GetRowCount() => s_rows.Length;

    public DataViewRowCursor GetRowCursor(IEnumerable<DataViewSchema.Column> columnsNeeded, Random? rand = null) => new Cursor(Schema);

    public DataViewRowCursor[] GetRowCursorSet(IEnumerable<DataViewSchema.Column> columnsNeeded, int n, Random? rand = null) => [new Cursor(Schema)];

    private sealed class Cursor(DataViewSchema schema) : DataViewRowCursor
    {
        private int _row = -1;

        public override long Position => _row;

        public override long Batch => 0;

        public override DataViewSchema Schema => schema;

        public override bool MoveNext() => ++_row < s_rows.Length;

        public override bool IsColumnActive(DataViewSchema.Column column) => true;

        public override ValueGetter<TValue> GetGetter<TValue>(DataViewSchema.Column column)
        {
            ValueGetter<VBuffer<float>> getter = (ref VBuffer<float> value) => value = new VBuffer<float>(s_rows[_row].Length, s_rows[_row]);
            return (ValueGetter<TValue>)(object)getter;
        }

        public override ValueGetter<DataViewRowId> GetIdGetter() => (ref DataViewRowId id) => id = new DataViewRowId((ulong)_row, 0);
    }
}
