using System.Globalization;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace MLNetExt.Cli.Data;

/// <summary>The values a key column's <c>KeyValues</c> annotation gives its keys, as text.</summary>
internal static class KeyValueText
{
    // ML.NET's KeyValuesAnnotation, which is not public.
    private const string KeyValuesAnnotation = "KeyValues";

    /// <summary>The text of key 1 .. <paramref name="count"/>; the key numbers themselves when there is no annotation.</summary>
    public static string[] Of(DataViewSchema.Column column, int count)
    {
        var annotation = column.Annotations.Schema.GetColumnOrNull(KeyValuesAnnotation);
        if (annotation?.Type is not VectorDataViewType vector)
            return [.. Enumerable.Range(1, count).Select(k => k.ToString(CultureInfo.InvariantCulture))];
        return vector.ItemType.RawType switch
        {
            var t when t == typeof(ReadOnlyMemory<char>) => Read<ReadOnlyMemory<char>>(column, v => v.ToString()),
            var t when t == typeof(float) => Read<float>(column, v => v.ToString("R", CultureInfo.InvariantCulture)),
            var t when t == typeof(double) => Read<double>(column, v => v.ToString("R", CultureInfo.InvariantCulture)),
            var t when t == typeof(int) => Read<int>(column, v => v.ToString(CultureInfo.InvariantCulture)),
            var t when t == typeof(uint) => Read<uint>(column, v => v.ToString(CultureInfo.InvariantCulture)),
            var t when t == typeof(bool) => Read<bool>(column, v => v ? "true" : "false"),
            _ => [.. Enumerable.Range(1, count).Select(k => k.ToString(CultureInfo.InvariantCulture))],
        };
    }

    private static string[] Read<T>(DataViewSchema.Column column, Func<T, string> format)
    {
        VBuffer<T> values = default;
        column.Annotations.GetValue(KeyValuesAnnotation, ref values);
        return [.. values.DenseValues().Select(format)];
    }
}
