using Microsoft.ML;

namespace MLNetExt.Cli.Data;

/// <summary>
/// A view over another whose rows it checks or rephrases in order, through one sequential cursor (a
/// <see cref="WrappingCursor"/>): never shuffled and never split into parallel cursors, so that a cursor's position
/// is the row's index in the source. A subclass supplies the cursor.
/// </summary>
internal abstract class SequentialView(IDataView source) : IDataView
{
    public bool CanShuffle => false;

    public DataViewSchema Schema => source.Schema;

    public long? GetRowCount() => source.GetRowCount();

    public DataViewRowCursor GetRowCursor(IEnumerable<DataViewSchema.Column> columnsNeeded, Random? rand = null) =>
        Wrap(source.GetRowCursor(columnsNeeded));

    public DataViewRowCursor[] GetRowCursorSet(IEnumerable<DataViewSchema.Column> columnsNeeded, int n, Random? rand = null) =>
        [GetRowCursor(columnsNeeded)];

    /// <summary>The cursor that checks or rephrases the rows of <paramref name="cursor"/>, which it owns.</summary>
    protected abstract DataViewRowCursor Wrap(DataViewRowCursor cursor);
}
