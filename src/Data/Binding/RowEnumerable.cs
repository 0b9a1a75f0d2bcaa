namespace MLNetExt.Data;

/// <summary>
/// The rows of a data view as objects (what <c>CreateEnumerable</c> returns): each enumeration opens a cursor over
/// the columns the row type maps, and setters are bound once per enumeration.
/// </summary>
internal static class RowEnumerable
{
    public static IEnumerable<TRow> Create<TRow>(IDataView data, bool reuseRowObject, bool ignoreMissingColumns)
        where TRow : class, new()
    {
        var binding = RowTypeBinding<TRow>.ForWriting();
        var bound = new List<(MemberBinding<TRow> Member, DataViewSchema.Column Column)>();
        foreach (var member in binding.Members)
        {
            if (data.Schema.GetColumnOrNull(member.ColumnName) is { } column)
            {
                member.CheckColumn(column);
                bound.Add((member, column));
            }
            else if (!ignoreMissingColumns)
                throw new ArgumentOutOfRangeException(nameof(data),
                    $"Column '{member.ColumnName}' (member '{member.MemberName}' of {typeof(TRow).Name}) was not found in the data view; it has: {data.Schema}.");
        }
        return Enumerate(data, bound, reuseRowObject);
    }

    private static IEnumerable<TRow> Enumerate<TRow>(IDataView data,
        List<(MemberBinding<TRow> Member, DataViewSchema.Column Column)> bound, bool reuseRowObject)
        where TRow : class, new()
    {
        using var cursor = data.GetRowCursor(bound.Select(b => b.Column));
        var setters = bound.Select(b => b.Member.MakeSetter(cursor, b.Column)).ToArray();
        TRow? reused = null;
        while (cursor.MoveNext())
        {
            TRow row = reuseRowObject ? reused ??= new TRow() : new TRow();
            foreach (var set in setters)
                set(row);
            yield return row;
        }
    }
}
