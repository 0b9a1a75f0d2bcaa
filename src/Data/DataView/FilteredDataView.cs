namespace MLNetExt.Data;

/// <summary>The rule a <see cref="FilteredDataView"/> applies to one cursor: which rows to keep, and when to stop reading.</summary>
/// <param name="KeepCurrent">Whether to keep the row the input cursor is on.</param>
/// <param name="Stop">Whether the input has nothing more worth reading (checked before each read); null means never.</param>
internal readonly record struct RowPredicate(Func<bool> KeepCurrent, Func<bool>? Stop = null);

/// <summary>
/// A lazy view of the rows of its input that a predicate keeps (row ranges, value ranges, train/test membership).
/// The predicate is made afresh for each cursor, so every cursor starts from the first row.
/// </summary>
internal sealed class FilteredDataView : IDataView
{
    private readonly IDataView _input;
    private readonly DataViewSchema.Column? _predicateColumn;
    private readonly Func<DataViewRowCursor, RowPredicate> _makePredicate;
    private readonly Func<long?, long?> _rowCount;

    /// <param name="input">The view to filter.</param>
    /// <param name="predicateColumn">A column the predicate reads, activated on the input whether or not the consumer needs it.</param>
    /// <param name="makePredicate">Makes the predicate for a new input cursor.</param>
    /// <param name="rowCount">Maps the input's row count to this view's, when that is known without reading.</param>
    public FilteredDataView(IDataView input, DataViewSchema.Column? predicateColumn,
        Func<DataViewRowCursor, RowPredicate> makePredicate, Func<long?, long?>? rowCount = null)
    {
        _input = input;
        _predicateColumn = predicateColumn;
        _makePredicate = makePredicate;
        _rowCount = rowCount ?? (_ => null);
    }

    public bool CanShuffle => false;

    public DataViewSchema Schema => _input.Schema;

    public long? GetRowCount() => _rowCount(_input.GetRowCount());

    public DataViewRowCursor GetRowCursor(IEnumerable<DataViewSchema.Column> columnsNeeded, Random? rand = null)
    {
        var needed = CursorFactory.WithExtra(columnsNeeded, null);
        var input = _input.GetRowCursor(CursorFactory.WithExtra(needed, _predicateColumn));
        var predicate = _makePredicate(input);
        return new FilteringCursor(input, Schema, needed, predicate.KeepCurrent, predicate.Stop);
    }

    public DataViewRowCursor[] GetRowCursorSet(IEnumerable<DataViewSchema.Column> columnsNeeded, int n, Random? rand = null) =>
        CursorFactory.AsSet(GetRowCursor(columnsNeeded, rand), n);
}
