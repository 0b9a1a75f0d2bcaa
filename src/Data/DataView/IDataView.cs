namespace MLNetExt.Data;

/// <summary>
/// A lazily evaluated table: a schema plus the ability to walk its rows with cursors, as ML.NET's
/// <c>IDataView</c>. Nothing is computed until a cursor asks for it, and only the active columns are computed.
/// </summary>
public interface IDataView
{
    /// <summary>Whether <see cref="GetRowCursor"/> can return rows in a random order when given a generator.</summary>
    bool CanShuffle { get; }

    /// <summary>The columns of every row.</summary>
    DataViewSchema Schema { get; }

    /// <summary>The number of rows when it is known without walking them, otherwise null.</summary>
    long? GetRowCount();

    /// <summary>Opens a cursor over the rows that makes <paramref name="columnsNeeded"/> readable.</summary>
    /// <param name="columnsNeeded">The columns whose getters will be asked for; others may not be computed.</param>
    /// <param name="rand">When given and <see cref="CanShuffle"/> is true, the rows come in a random order.</param>
    DataViewRowCursor GetRowCursor(IEnumerable<DataViewSchema.Column> columnsNeeded, Random? rand = null);

    /// <summary>Opens up to <paramref name="n"/> cursors that together visit every row once, for parallel reading.</summary>
    /// <param name="columnsNeeded">The columns whose getters will be asked for.</param>
    /// <param name="n">The number of cursors wanted; an implementation may return fewer (at least one).</param>
    /// <param name="rand">When given and <see cref="CanShuffle"/> is true, the rows come in a random order.</param>
    DataViewRowCursor[] GetRowCursorSet(IEnumerable<DataViewSchema.Column> columnsNeeded, int n, Random? rand = null);
}
