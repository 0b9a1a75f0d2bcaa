namespace MLNetExt.Data;

/// <summary>
/// A row that moves forward through a data view, as ML.NET's <c>DataViewRowCursor</c>. Getters obtained once
/// read whichever row the cursor is on; rows are pulled from the source only as <see cref="MoveNext"/> asks.
/// </summary>
public abstract class DataViewRowCursor : DataViewRow
{
    /// <summary>Moves to the next row.</summary>
    /// <returns>False when there are no more rows; the cursor is then done.</returns>
    public abstract bool MoveNext();
}
