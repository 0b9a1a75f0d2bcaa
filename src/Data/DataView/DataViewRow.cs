namespace MLNetExt.Data;

/// <summary>
/// One row of a data view, read column by column through getters, as ML.NET's <c>DataViewRow</c>.
/// </summary>
public abstract class DataViewRow : IDisposable
{
    /// <summary>
    /// The index of the current row among those this row object has visited, counting from 0; -1 before the first.
    /// </summary>
    public abstract long Position { get; }

    /// <summary>
    /// Which of a cursor set's cursors produced the row; rows of one batch come in order of <see cref="Position"/>.
    /// </summary>
    public abstract long Batch { get; }

    /// <summary>The columns of the row.</summary>
    public abstract DataViewSchema Schema { get; }

    /// <summary>Whether <paramref name="column"/> was requested and so can be read.</summary>
    /// <param name="column">A column of <see cref="Schema"/>.</param>
    public abstract bool IsColumnActive(DataViewSchema.Column column);

    /// <summary>A getter that reads <paramref name="column"/> of the current row.</summary>
    /// <typeparam name="TValue">Must be the column type's <see cref="DataViewType.RawType"/>.</typeparam>
    /// <param name="column">An active column of <see cref="Schema"/>.</param>
    /// <exception cref="InvalidOperationException">
    /// <typeparamref name="TValue"/> is not the column's raw type, or the column is not active.
    /// </exception>
    public abstract ValueGetter<TValue> GetGetter<TValue>(DataViewSchema.Column column);

    /// <summary>A getter of the current row's unique, stable id.</summary>
    public abstract ValueGetter<DataViewRowId> GetIdGetter();

    /// <summary>Releases what the row holds (open files, upstream cursors).</summary>
    public void Dispose()
    {
        Dispose(true);
        GC.SuppressFinalize(this);
    }

    /// <summary>Releases what the row holds.</summary>
    /// <param name="disposing">True when called from <see cref="Dispose()"/>.</param>
    protected virtual void Dispose(bool disposing)
    {
    }
}
