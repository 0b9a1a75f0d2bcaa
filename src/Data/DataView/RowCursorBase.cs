namespace MLNetExt.Data;

/// <summary>
/// The bookkeeping every cursor shares: position, active columns, and getters checked against the column type,
/// so that a concrete cursor only says how to advance and how to read one column.
/// </summary>
internal abstract class RowCursorBase : DataViewRowCursor
{
    private readonly bool[] _active;
    private long _position = -1;
    private bool _done;

    protected RowCursorBase(DataViewSchema schema, IEnumerable<DataViewSchema.Column> columnsNeeded)
    {
        ArgumentNullException.ThrowIfNull(columnsNeeded);
        Schema = schema;
        _active = new bool[schema.Count];
        foreach (var column in columnsNeeded)
        {
            CheckBelongs(schema, column, nameof(columnsNeeded));
            _active[column.Index] = true;
        }
    }

    public sealed override DataViewSchema Schema { get; }

    public sealed override long Position => _position;

    public override long Batch => 0;

    /// <summary>Whether the cursor stands on a row (after a successful <see cref="MoveNext"/>).</summary>
    protected bool IsOnRow => _position >= 0 && !_done;

    public sealed override bool IsColumnActive(DataViewSchema.Column column)
    {
        CheckBelongs(Schema, column, nameof(column));
        return _active[column.Index];
    }

    public sealed override bool MoveNext()
    {
        if (_done)
            return false;
        if (MoveNextCore())
        {
            _position++;
            return true;
        }
        _done = true;
        return false;
    }

    /// <summary>Advances the underlying source by one row; false at its end.</summary>
    protected abstract bool MoveNextCore();

    public sealed override ValueGetter<TValue> GetGetter<TValue>(DataViewSchema.Column column)
    {
        CheckBelongs(Schema, column, nameof(column));
        if (!_active[column.Index])
            throw new InvalidOperationException($"Column '{column.Name}' was not requested when the cursor was opened, so it cannot be read.");
        GetterTypeCheck.Check<TValue>(column);
        var inner = CreateGetter<TValue>(column);
        return (ref TValue value) =>
        {
            if (!IsOnRow)
                throw new InvalidOperationException($"Column '{column.Name}' was read while the cursor is not on a row (call MoveNext first, and only while it returns true).");
            inner(ref value);
        };
    }

    /// <summary>A <see cref="ValueGetter{TValue}"/> of the column's raw type that reads the current row.</summary>
    protected abstract ValueGetter<TValue> CreateGetter<TValue>(DataViewSchema.Column column);

    /// <summary>Ids from the position: right for a source that always yields its rows in one order.</summary>
    public override ValueGetter<DataViewRowId> GetIdGetter() => (ref DataViewRowId id) =>
    {
        if (!IsOnRow)
            throw new InvalidOperationException("The row id was read while the cursor is not on a row.");
        id = new DataViewRowId((ulong)_position, 0);
    };

    private static void CheckBelongs(DataViewSchema schema, DataViewSchema.Column column, string paramName)
    {
        if ((uint)column.Index >= (uint)schema.Count || schema[column.Index].Name != column.Name
            || !schema[column.Index].Type.Equals(column.Type))
            throw new ArgumentOutOfRangeException(paramName, $"Column '{column.Name}' (index {column.Index}) is not a column of this cursor's schema.");
    }
}
