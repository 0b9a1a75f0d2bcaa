namespace MLNetExt.Data.Tests.Infrastructure;

/// <summary>
/// A test transform's output: the input plus one column computed from a single-precision vector column, written
/// only against the public data view API, as a pipeline assembly would.
/// </summary>
public sealed class MappedColumnDataView<TOut> : IDataView
{
    private readonly IDataView _input;
    private readonly DataViewSchema.Column _source;
    private readonly Func<float[], TOut> _map;

    public MappedColumnDataView(IDataView input, string sourceName, string outputName, DataViewType outputType, Func<float[], TOut> map)
    {
        _input = input;
        _source = input.Schema[sourceName];
        _map = map;
        var builder = new DataViewSchema.Builder();
        builder.AddColumns(input.Schema);
        builder.AddColumn(outputName, outputType);
        Schema = builder.ToSchema();
    }

    public bool CanShuffle => false;

    public DataViewSchema Schema { get; }

    public long? GetRowCount() => _input.GetRowCount();

    public DataViewRowCursor GetRowCursor(IEnumerable<DataViewSchema.Column> columnsNeeded, Random? rand = null)
    {
        var needed = columnsNeeded.ToList();
        var inputNeeded = needed.Where(c => c.Index < _input.Schema.Count).Append(_source).Distinct().ToList();
        return new Cursor(this, _input.GetRowCursor(inputNeeded), needed);
    }

    public DataViewRowCursor[] GetRowCursorSet(IEnumerable<DataViewSchema.Column> columnsNeeded, int n, Random? rand = null) =>
        [GetRowCursor(columnsNeeded, rand)];

    private sealed class Cursor(MappedColumnDataView<TOut> view, DataViewRowCursor input, List<DataViewSchema.Column> needed) : DataViewRowCursor
    {
        public override long Position => input.Position;

        public override long Batch => input.Batch;

        public override DataViewSchema Schema => view.Schema;

        public override bool MoveNext() => input.MoveNext();

        public override bool IsColumnActive(DataViewSchema.Column column) => needed.Any(c => c.Index == column.Index);

        public override ValueGetter<DataViewRowId> GetIdGetter() => input.GetIdGetter();

        public override ValueGetter<TValue> GetGetter<TValue>(DataViewSchema.Column column)
        {
            if (column.Index < view._input.Schema.Count)
                return input.GetGetter<TValue>(column);
            var source = input.GetGetter<VBuffer<float>>(view._source);
            VBuffer<float> buffer = default;
            ValueGetter<TOut> getter = (ref TOut value) =>
            {
                source(ref buffer);
                value = view._map(buffer.GetValues().ToArray());
            };
            return (ValueGetter<TValue>)(object)getter;
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing)
                input.Dispose();
        }
    }
}
