using Microsoft.ML;
using Microsoft.ML.Data;

namespace MLNetExt.Cli.Data;

/// <summary>
/// Scored data read from a delimited file, whose per-row errors name the file and the line: a transform that fails on a
/// row (e.g. "Column 'Features', row 3: the vector has 2 values, expected 4") is rephrased as "Dataset file 'x.csv',
/// line 5: ...". The rows must be the file's records one for one (no filter between the loader and here); cursors are
/// sequential, so that a cursor's position is the row's index.
/// </summary>
internal sealed class RowLineDataView(IDataView source, DelimitedHeader header) : SequentialView(source)
{
    protected override DataViewRowCursor Wrap(DataViewRowCursor cursor) => new Cursor(cursor, header);

    private sealed class Cursor(DataViewRowCursor source, DelimitedHeader header) : WrappingCursor(source)
    {
        public override bool MoveNext()
        {
            try
            {
                return Source.MoveNext();
            }
            catch (Exception e) when (e is InvalidOperationException or ArgumentException or FormatException)
            {
                throw Rephrase(e, Source.Position + 1);
            }
        }

        public override ValueGetter<TValue> GetGetter<TValue>(DataViewSchema.Column column)
        {
            var getter = Source.GetGetter<TValue>(column);
            return (ref TValue value) =>
            {
                try
                {
                    getter(ref value);
                }
                catch (Exception e) when (e is InvalidOperationException or ArgumentException or FormatException)
                {
                    throw Rephrase(e, Source.Position);
                }
            };
        }

        private CliException Rephrase(Exception e, long row)
        {
            string message = e.Message.Split('\n', 2)[0].TrimEnd('\r');
            return header.LineOfRow(row) is { } line
                ? new CliException($"Dataset file '{header.Path}', line {line}: {message}")
                : new CliException($"Dataset file '{header.Path}': {message}");
        }
    }
}
