using System.Globalization;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace MLNetExt.TestKit;

/// <summary>
/// Reads every cell of a data view as exact text, for comparing outputs cell by cell: numbers in their shortest
/// round-trip form (so equal text means equal bits, NaN and -0 included), text as itself, vectors as
/// <c>[a, b, c]</c>.
/// </summary>
public static class DataViewCells
{
    /// <summary>The cells of every visible column (in schema order), row by row.</summary>
    /// <param name="data">The data view to read.</param>
    public static IReadOnlyList<string[]> ReadAll(IDataView data)
    {
        ArgumentNullException.ThrowIfNull(data);
        var columns = data.Schema.Where(c => !c.IsHidden).ToArray();
        var rows = new List<string[]>();
        using var cursor = data.GetRowCursor(columns);
        var readers = columns.Select(c => Reader(cursor, c)).ToArray();
        while (cursor.MoveNext())
            rows.Add([.. readers.Select(read => read())]);
        return rows;
    }

    /// <summary>The cells of column <paramref name="columnName"/>, row by row.</summary>
    /// <param name="data">The data view to read.</param>
    /// <param name="columnName">A visible column.</param>
    public static IReadOnlyList<string> Column(IDataView data, string columnName)
    {
        ArgumentNullException.ThrowIfNull(data);
        var column = data.Schema[columnName];
        var cells = new List<string>();
        using var cursor = data.GetRowCursor([column]);
        var read = Reader(cursor, column);
        while (cursor.MoveNext())
            cells.Add(read());
        return cells;
    }

    /// <summary>
    /// The cells of every visible output column of <paramref name="mapper"/> (in schema order), mapping the rows of
    /// <paramref name="input"/> one at a time as ML.NET's prediction engines do.
    /// </summary>
    /// <param name="mapper">A transformer's row-to-row mapper, made for <paramref name="input"/>'s schema.</param>
    /// <param name="input">The rows to map.</param>
    public static IReadOnlyList<string[]> ReadMapped(IRowToRowMapper mapper, IDataView input)
    {
        ArgumentNullException.ThrowIfNull(mapper);
        ArgumentNullException.ThrowIfNull(input);
        var columns = mapper.OutputSchema.Where(c => !c.IsHidden).ToArray();
        var rows = new List<string[]>();
        using var cursor = input.GetRowCursor(mapper.GetDependencies(columns));
        using var row = mapper.GetRow(cursor, columns);
        var readers = columns.Select(c => Reader(row, c)).ToArray();
        while (cursor.MoveNext())
            rows.Add([.. readers.Select(read => read())]);
        return rows;
    }

    private static Func<string> Reader(DataViewRow row, DataViewSchema.Column column)
    {
        var item = column.Type is VectorDataViewType vector ? vector.ItemType : column.Type;
        bool isVector = column.Type is VectorDataViewType;
        var raw = item.RawType;
        return raw == typeof(float) ? Reader<float>(row, column, isVector)
            : raw == typeof(double) ? Reader<double>(row, column, isVector)
            : raw == typeof(int) ? Reader<int>(row, column, isVector)
            : raw == typeof(uint) ? Reader<uint>(row, column, isVector)
            : raw == typeof(bool) ? Reader<bool>(row, column, isVector)
            : Reader<ReadOnlyMemory<char>>(row, column, isVector);
    }

    private static Func<string> Reader<T>(DataViewRow row, DataViewSchema.Column column, bool isVector)
    {
        if (isVector)
        {
            var getter = row.GetGetter<VBuffer<T>>(column);
            VBuffer<T> buffer = default;
            return () =>
            {
                getter(ref buffer);
                return "[" + string.Join(", ", buffer.DenseValues().Select(Format)) + "]";
            };
        }
        var scalar = row.GetGetter<T>(column);
        T value = default!;
        return () =>
        {
            scalar(ref value);
            return Format(value);
        };
    }

    /// <summary>One value as exact text.</summary>
    /// <param name="value">A value of a column's raw item type.</param>
    public static string Format<T>(T value) => value switch
    {
        ReadOnlyMemory<char> text => text.ToString(),
        float f => f.ToString("R", CultureInfo.InvariantCulture),
        double d => d.ToString("R", CultureInfo.InvariantCulture),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value?.ToString() ?? "",
    };
}
