namespace MLNetExt.Data;

/// <summary>
/// A row that shows one object's members as columns, moved to the next object by <see cref="MoveTo"/>: the input
/// side of a <see cref="PredictionEngine{TSrc, TDst}"/>. Getters are compiled once and read whichever object the
/// row shows when they are called.
/// </summary>
internal sealed class ObjectRow<TRow> : DataViewRow where TRow : class
{
    private readonly RowTypeBinding<TRow> _binding;
    private TRow? _current;
    private long _position = -1;

    public ObjectRow(RowTypeBinding<TRow> binding) => _binding = binding;

    public override long Position => _position;

    public override long Batch => 0;

    public override DataViewSchema Schema => _binding.Schema;

    /// <summary>Shows <paramref name="row"/>, as a new position, so that mappers following this row recompute.</summary>
    public void MoveTo(TRow row)
    {
        _current = row;
        _position++;
    }

    public override bool IsColumnActive(DataViewSchema.Column column) => column.Index >= 0 && column.Index < Schema.Count;

    public override ValueGetter<TValue> GetGetter<TValue>(DataViewSchema.Column column)
    {
        if ((uint)column.Index >= (uint)Schema.Count || Schema[column.Index].Name != column.Name)
            throw new ArgumentOutOfRangeException(nameof(column), $"Column '{column.Name}' is not a column of this row.");
        GetterTypeCheck.Check<TValue>(Schema[column.Index]);
        return _binding.Members[column.Index].MakeGetter<TValue>(() => _current
            ?? throw new InvalidOperationException("The row was read before it was given an object."));
    }

    public override ValueGetter<DataViewRowId> GetIdGetter() => (ref DataViewRowId id) => id = new DataViewRowId((ulong)_position, 0);
}
