namespace MLNetExt.Data;

/// <summary>
/// A lazy view of a delimited text file: each cursor streams the file from the start, and a field is parsed only
/// when the getter of its column is called on that row.
/// </summary>
internal sealed class TextDataView : IDataView
{
    private readonly string _path;
    private readonly TextLoader.Options _options;
    private readonly TextColumnLayout[] _layout;

    public TextDataView(string path, TextLoader.Options options, TextColumnLayout[] layout, DataViewSchema schema)
    {
        _path = path;
        _options = options;
        _layout = layout;
        Schema = schema;
    }

    public bool CanShuffle => false;

    public DataViewSchema Schema { get; }

    public long? GetRowCount() => null;

    public DataViewRowCursor GetRowCursor(IEnumerable<DataViewSchema.Column> columnsNeeded, Random? rand = null) =>
        new Cursor(this, columnsNeeded);

    public DataViewRowCursor[] GetRowCursorSet(IEnumerable<DataViewSchema.Column> columnsNeeded, int n, Random? rand = null) =>
        CursorFactory.AsSet(GetRowCursor(columnsNeeded, rand), n);

    private sealed class Cursor : RowCursorBase
    {
        private readonly TextDataView _view;
        private readonly TextRecordReader _records;
        private long _rowsRead;

        public Cursor(TextDataView view, IEnumerable<DataViewSchema.Column> columnsNeeded) : base(view.Schema, columnsNeeded)
        {
            _view = view;
            _records = new TextRecordReader(view._path, view._options);
            if (view._options.HasHeader)
                _records.ReadRecord();
        }

        protected override bool MoveNextCore()
        {
            if (_view._options.MaxRows is { } max && _rowsRead >= max)
                return false;
            if (!_records.ReadRecord())
                return false;
            _rowsRead++;
            return true;
        }

        protected override ValueGetter<TValue> CreateGetter<TValue>(DataViewSchema.Column column)
        {
            var layout = _view._layout[column.Index];
            var method = layout.IsVector ? nameof(VectorGetter) : nameof(ScalarGetter);
            return (ValueGetter<TValue>)typeof(Cursor).GetMethod(method, System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Instance)!
                .MakeGenericMethod(layout.ItemType.RawType).Invoke(this, [layout])!;
        }

        private ValueGetter<T> ScalarGetter<T>(TextColumnLayout layout)
        {
            var parser = TextFieldParsers.For<T>(layout.ItemType);
            int index = layout.Ranges[0].Min;
            return (ref T value) => value = Parse(parser, layout, index);
        }

        private ValueGetter<VBuffer<T>> VectorGetter<T>(TextColumnLayout layout)
        {
            var parser = TextFieldParsers.For<T>(layout.ItemType);
            return (ref VBuffer<T> value) =>
            {
                int fieldCount = _records.Fields.Count;
                int length = 0;
                foreach (var range in layout.Ranges)
                    length += Math.Max(0, (range.Max ?? fieldCount - 1) - range.Min + 1);
                var items = VBuffer<T>.PrepareDense(ref value, length);
                int k = 0;
                foreach (var range in layout.Ranges)
                {
                    for (int i = range.Min; i <= (range.Max ?? fieldCount - 1); i++)
                        items[k++] = Parse(parser, layout, i);
                }
            };
        }

        private T Parse<T>(TextFieldParser<T> parser, TextColumnLayout layout, int fieldIndex)
        {
            var fields = _records.Fields;
            bool present = fieldIndex < fields.Count;
            var where = new FieldLocation(_view._path, _records.RecordLine, layout.Name, fieldIndex);
            return parser.Parse(present ? fields[fieldIndex] : ReadOnlyMemory<char>.Empty, present, where);
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing)
                _records.Dispose();
            base.Dispose(disposing);
        }
    }
}
