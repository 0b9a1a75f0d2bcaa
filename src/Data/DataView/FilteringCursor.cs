namespace MLNetExt.Data;

/// <summary>
/// A cursor over the rows of an input cursor that a predicate keeps; getters and ids pass straight through, so a
/// row keeps its id whichever view it appears in.
/// </summary>
internal sealed class FilteringCursor : RowCursorBase
{
    private readonly DataViewRowCursor _input;
    private readonly Func<bool> _keepCurrent;
    private readonly Func<bool> _stop;

    /// <param name="input">The input cursor, over <paramref name="schema"/>; disposed with this cursor.</param>
    /// <param name="schema">The schema both cursors share.</param>
    /// <param name="columnsNeeded">The columns the consumer asked for.</param>
    /// <param name="keepCurrent">Whether to keep the row the input is on.</param>
    /// <param name="stopAfter">Says, before each read, that the input has nothing more worth reading.</param>
    public FilteringCursor(DataViewRowCursor input, DataViewSchema schema, IEnumerable<DataViewSchema.Column> columnsNeeded,
        Func<bool> keepCurrent, Func<bool>? stopAfter = null) : base(schema, columnsNeeded)
    {
        _input = input;
        _keepCurrent = keepCurrent;
        _stop = stopAfter ?? (() => false);
    }

    protected override bool MoveNextCore()
    {
        while (!_stop() && _input.MoveNext())
        {
            if (_keepCurrent())
                return true;
        }
        return false;
    }

    protected override ValueGetter<TValue> CreateGetter<TValue>(DataViewSchema.Column column) => _input.GetGetter<TValue>(column);

    public override ValueGetter<DataViewRowId> GetIdGetter() => _input.GetIdGetter();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
            _input.Dispose();
        base.Dispose(disposing);
    }
}
