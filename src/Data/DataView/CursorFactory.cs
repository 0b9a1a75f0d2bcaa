namespace MLNetExt.Data;

/// <summary>Helpers shared by the data views that wrap another view.</summary>
internal static class CursorFactory
{
    /// <summary>The columns <paramref name="needed"/> names, plus <paramref name="extra"/> when given.</summary>
    public static DataViewSchema.Column[] WithExtra(IEnumerable<DataViewSchema.Column> needed, DataViewSchema.Column? extra)
    {
        ArgumentNullException.ThrowIfNull(needed);
        var columns = needed.ToList();
        if (extra is { } column && !columns.Any(c => c.Index == column.Index))
            columns.Add(column);
        return [.. columns];
    }

    /// <summary>A single cursor in an array: the views here read sequentially.</summary>
    public static DataViewRowCursor[] AsSet(DataViewRowCursor cursor, int n)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(n, 1);
        return [cursor];
    }
}
