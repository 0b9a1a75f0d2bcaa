namespace MLNetExt.Data;

/// <summary>
/// The default <see cref="IRowToRowMapper"/> of a transformer: the transformer is applied once to a
/// <see cref="RowSourceDataView"/> that shows the caller's input row as an endless sequence of rows, and the output
/// cursor is advanced by one each time the input row's position changes.
/// </summary>
internal sealed class TransformerRowMapper : IRowToRowMapper
{
    private readonly ITransformer _transformer;

    public TransformerRowMapper(ITransformer transformer, DataViewSchema inputSchema)
    {
        ArgumentNullException.ThrowIfNull(transformer);
        ArgumentNullException.ThrowIfNull(inputSchema);
        if (!transformer.IsRowToRowMapper)
            throw new InvalidOperationException($"A {transformer.GetType().Name} does not map rows one to one, so it cannot score single rows.");
        _transformer = transformer;
        InputSchema = inputSchema;
        OutputSchema = transformer.GetOutputSchema(inputSchema);
    }

    public DataViewSchema InputSchema { get; }

    public DataViewSchema OutputSchema { get; }

    /// <summary>Every input column: a transformer does not say which of its inputs an output needs.</summary>
    public IEnumerable<DataViewSchema.Column> GetDependencies(IEnumerable<DataViewSchema.Column> dependingColumns)
    {
        ArgumentNullException.ThrowIfNull(dependingColumns);
        return InputSchema;
    }

    public DataViewRow GetRow(DataViewRow input, IEnumerable<DataViewSchema.Column> activeColumns)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(activeColumns);
        var source = new RowSourceDataView(InputSchema, input);
        var output = _transformer.Transform(source);
        var active = activeColumns.Select(c => output.Schema[c.Index]).ToArray();
        return new MappedRow(input, output.GetRowCursor(active));
    }

    /// <summary>The output cursor seen as a row that follows its input row.</summary>
    private sealed class MappedRow(DataViewRow input, DataViewRowCursor cursor) : DataViewRow
    {
        private long _mappedPosition = -1;

        public override long Position => input.Position;

        public override long Batch => input.Batch;

        public override DataViewSchema Schema => cursor.Schema;

        public override bool IsColumnActive(DataViewSchema.Column column) => cursor.IsColumnActive(column);

        public override ValueGetter<TValue> GetGetter<TValue>(DataViewSchema.Column column)
        {
            var getter = cursor.GetGetter<TValue>(column);
            return (ref TValue value) =>
            {
                Follow();
                getter(ref value);
            };
        }

        public override ValueGetter<DataViewRowId> GetIdGetter() => input.GetIdGetter();

        private void Follow()
        {
            long position = input.Position;
            if (position == _mappedPosition)
                return;
            if (position < 0)
                throw new InvalidOperationException("The input row is not on a row yet, so there is nothing to map.");
            if (!cursor.MoveNext())
                throw new InvalidOperationException("The transformer's output ended although its input row did not; it does not map rows one to one.");
            _mappedPosition = position;
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing)
                cursor.Dispose();
            base.Dispose(disposing);
        }
    }
}
