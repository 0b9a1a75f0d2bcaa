using System.Globalization;
using MLNetExt.Cli.Data;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace MLNetExt.Cli.Output;

/// <summary>
/// Writes a model's predictions as CSV: a header, then one line per row with the PredictedLabel, Score and
/// Probability columns the model writes, in that order.
/// </summary>
/// <remarks>
/// A scalar is one field (keys as their label values, Booleans as true/false, numbers round-trippable). A vector of
/// known size is one field per slot, named <c>Score.&lt;class&gt;</c> when the PredictedLabel is a key with that many
/// classes, and <c>Score.1</c>, <c>Score.2</c>, ... (e.g. the forecast steps) otherwise. A vector of variable length
/// (a tagger's labels and scores) is one quoted field holding its values separated by spaces. A missing key (0) is an
/// empty field alone and <c>?</c> in a list.
/// </remarks>
internal static class PredictionWriter
{
    /// <summary>
    /// Writes the predictions of <paramref name="scored"/> to <paramref name="writer"/>; returns the number of rows.
    /// <paramref name="cancellation"/> is checked before every row (<see cref="OperationCanceledException"/>).
    /// </summary>
    public static int Write(IDataView scored, ModelOutput output, TextWriter writer, CancellationToken cancellation = default)
    {
        var columns = new[] { output.PredictedLabel, output.Score, output.Probability }.OfType<DataViewSchema.Column>().ToArray();
        using var cursor = scored.GetRowCursor(columns);
        var names = new List<string>();
        var cells = new List<Func<string>>();
        foreach (var column in columns)
        {
            var (header, cell) = Field(cursor, column, output);
            names.AddRange(header);
            cells.Add(cell);
        }
        writer.WriteLine(string.Join(",", names.Select(Csv)));
        int rows = 0;
        while (cursor.MoveNext())
        {
            cancellation.ThrowIfCancellationRequested();
            writer.WriteLine(string.Join(",", cells.Select(cell => cell())));
            rows++;
        }
        return rows;
    }

    /// <summary>The header name(s) of one column and the reader of its field(s) on the current row.</summary>
    private static (IReadOnlyList<string> Names, Func<string> Cell) Field(DataViewRowCursor cursor, DataViewSchema.Column column, ModelOutput output)
    {
        switch (column.Type)
        {
            case BooleanDataViewType:
                return ([column.Name], Reader<bool>(cursor, column, v => v ? "true" : "false"));
            case KeyDataViewType key:
                var classes = KeyValueText.Of(column, (int)key.Count);
                return ([column.Name], Reader<uint>(cursor, column, k => k == 0 ? "" : Csv(classes[(int)k - 1])));
            case VectorDataViewType { ItemType: KeyDataViewType itemKey }:
                var tags = KeyValueText.Of(column, (int)itemKey.Count);
                return ([column.Name], Reader<VBuffer<uint>>(cursor, column, v => List(v.DenseValues().Select(k => k == 0 ? "?" : tags[(int)k - 1]))));
            case VectorDataViewType { IsKnownSize: true } vector when vector.ItemType == NumberDataViewType.Single:
                var slots = output.PredictedLabel is { Type: KeyDataViewType classKey } predicted && (int)classKey.Count == vector.Size
                    ? KeyValueText.Of(predicted, vector.Size)
                    : [.. Enumerable.Range(1, vector.Size).Select(i => i.ToString(CultureInfo.InvariantCulture))];
                return ([.. slots.Select(slot => $"{column.Name}.{slot}")],
                    Reader<VBuffer<float>>(cursor, column, v => string.Join(",", v.DenseValues().Select(Number))));
            case VectorDataViewType vector when vector.ItemType == NumberDataViewType.Single:
                return ([column.Name], Reader<VBuffer<float>>(cursor, column, v => List(v.DenseValues().Select(Number))));
            case var t when t == NumberDataViewType.Single:
                return ([column.Name], Reader<float>(cursor, column, Number));
            default:
                throw new CliException($"The model's {column.Name} column has type {column.Type}, which predict cannot write.");
        }
    }

    private static Func<string> Reader<T>(DataViewRowCursor cursor, DataViewSchema.Column column, Func<T, string> format)
    {
        var getter = cursor.GetGetter<T>(column);
        T value = default!;
        return () =>
        {
            getter(ref value);
            return format(value);
        };
    }

    private static string Number(float value) => value.ToString("R", CultureInfo.InvariantCulture);

    /// <summary>A variable-length vector as one quoted field, its values separated by spaces.</summary>
    private static string List(IEnumerable<string> values) => $"\"{string.Join(" ", values).Replace("\"", "\"\"", StringComparison.Ordinal)}\"";

    /// <summary>A CSV field: quoted (quotes doubled) when it holds a separator, a quote or a line break.</summary>
    internal static string Csv(string text) =>
        text.IndexOfAny([',', '"', '\n', '\r']) >= 0 ? $"\"{text.Replace("\"", "\"\"", StringComparison.Ordinal)}\"" : text;
}
