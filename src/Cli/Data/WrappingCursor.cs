using Microsoft.ML;
using Microsoft.ML.Data;

namespace MLNetExt.Cli.Data;

/// <summary>
/// A cursor that passes everything through to the cursor it wraps (and owns), for the CLI's views that check or
/// rewrite some columns' values on the way (<see cref="RowLineDataView"/>, <see cref="SequenceText"/>'s truncation,
/// <see cref="Output.FiniteScores"/>): a subclass overrides <see cref="GetGetter{TValue}"/> or <see cref="MoveNext"/>.
/// </summary>
internal abstract class WrappingCursor(DataViewRowCursor source) : DataViewRowCursor
{
    /// <summary>The cursor wrapped.</summary>
    protected DataViewRowCursor Source => source;

    public override long Position => source.Position;

    public override long Batch => source.Batch;

    public override DataViewSchema Schema => source.Schema;

    public override bool IsColumnActive(DataViewSchema.Column column) => source.IsColumnActive(column);

    public override ValueGetter<DataViewRowId> GetIdGetter() => source.GetIdGetter();

    public override bool MoveNext() => source.MoveNext();

    public override ValueGetter<TValue> GetGetter<TValue>(DataViewSchema.Column column) => source.GetGetter<TValue>(column);

    protected override void Dispose(bool disposing)
    {
        if (disposing)
            source.Dispose();
        base.Dispose(disposing);
    }
}
