using System.Text.Json.Nodes;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace MLNetExt.PlainMLNet.Consumer;

/// <summary>
/// Writes chosen columns of scored data as JSON Lines: one object per row, a key column through its key values
/// (as <c>MapKeyToValue</c> gives them). Shared with the tests, which write the in-process model's output the same
/// way and compare the two texts value by value.
/// </summary>
internal static class ScoredRows
{
    /// <summary>The scorer columns printed when none are named: those of ML.NET's binary, multiclass and regression scorers.</summary>
    public static readonly string[] ScorerColumns = ["Score", "Probability", "PredictedLabel"];

    /// <summary>The scorer columns of <paramref name="schema"/>, in <see cref="ScorerColumns"/>' order.</summary>
    public static string[] ScorerColumnsOf(DataViewSchema schema) =>
        [.. ScorerColumns.Where(name => schema.GetColumnOrNull(name) is { IsHidden: false })];

    /// <summary>Writes <paramref name="columns"/> of every row of <paramref name="scored"/> to <paramref name="output"/>.</summary>
    /// <exception cref="InvalidOperationException">A column is missing or of a type JSON cannot carry here.</exception>
    public static void WriteJsonLines(MLContext ml, IDataView scored, IReadOnlyList<string> columns, TextWriter output)
    {
        var view = scored;
        var sources = new string[columns.Count];
        for (int i = 0; i < columns.Count; i++)
        {
            var column = scored.Schema.GetColumnOrNull(columns[i])
                ?? throw new InvalidOperationException(
                    $"the scored data has no column '{columns[i]}' (it has: {string.Join(", ", scored.Schema.Where(c => !c.IsHidden).Select(c => c.Name))})");
            sources[i] = column.Name;
            if (ItemType(column.Type) is KeyDataViewType && column.Annotations.Schema.GetColumnOrNull("KeyValues") is not null)
            {
                // The key's index means nothing outside this model; its value (the label's text) is what a user sees.
                sources[i] = $"{column.Name}.value";
                view = ml.Transforms.Conversion.MapKeyToValue(sources[i], column.Name).Fit(view).Transform(view);
            }
        }

        using var cursor = view.GetRowCursor(sources.Select(name => view.Schema[name]));
        var getters = sources.Select(name => Getter(cursor, cursor.Schema[name])).ToArray();
        while (cursor.MoveNext())
        {
            var row = new JsonObject();
            for (int i = 0; i < columns.Count; i++)
                row[columns[i]] = getters[i]();
            output.WriteLine(row.ToJsonString());
        }
    }

    /// <summary>The type of one value of <paramref name="type"/>: its item type for a vector, itself otherwise.</summary>
    public static DataViewType ItemType(DataViewType type) => type is VectorDataViewType vector ? vector.ItemType : type;

    private static Func<JsonNode?> Getter(DataViewRowCursor cursor, DataViewSchema.Column column)
    {
        var item = ItemType(column.Type);
        bool vector = column.Type is VectorDataViewType;
        return item switch
        {
            _ when item == NumberDataViewType.Single => vector ? Vector<float>(cursor, column, Number) : Scalar<float>(cursor, column, Number),
            _ when item == NumberDataViewType.Double => vector ? Vector<double>(cursor, column, Number) : Scalar<double>(cursor, column, Number),
            _ when item == NumberDataViewType.Int32 => vector ? Vector<int>(cursor, column, v => v) : Scalar<int>(cursor, column, v => v),
            _ when item == NumberDataViewType.Int64 => vector ? Vector<long>(cursor, column, v => v) : Scalar<long>(cursor, column, v => v),
            // A key without key values is printed as its index (1-based; 0 is the missing key), as ML.NET stores it.
            _ when item == NumberDataViewType.UInt32 || item is KeyDataViewType { RawType: var raw } && raw == typeof(uint) =>
                vector ? Vector<uint>(cursor, column, v => v) : Scalar<uint>(cursor, column, v => v),
            BooleanDataViewType => vector ? Vector<bool>(cursor, column, v => v) : Scalar<bool>(cursor, column, v => v),
            TextDataViewType => vector ? Vector<ReadOnlyMemory<char>>(cursor, column, v => v.ToString()) : Scalar<ReadOnlyMemory<char>>(cursor, column, v => v.ToString()),
            _ => throw new InvalidOperationException($"column '{column.Name}' is of type {column.Type}, which this consumer does not print"),
        };
    }

    // JSON has no NaN or infinity; they are written as strings so that a row with one is still printed.
    private static JsonNode Number(float value) => float.IsFinite(value) ? JsonValue.Create(value) : JsonValue.Create(value.ToString(System.Globalization.CultureInfo.InvariantCulture));

    private static JsonNode Number(double value) => double.IsFinite(value) ? JsonValue.Create(value) : JsonValue.Create(value.ToString(System.Globalization.CultureInfo.InvariantCulture));

    private static Func<JsonNode?> Scalar<T>(DataViewRowCursor cursor, DataViewSchema.Column column, Func<T, JsonNode?> convert)
    {
        var getter = cursor.GetGetter<T>(column);
        T value = default!;
        return () =>
        {
            getter(ref value);
            return convert(value);
        };
    }

    private static Func<JsonNode?> Vector<T>(DataViewRowCursor cursor, DataViewSchema.Column column, Func<T, JsonNode?> convert)
    {
        var getter = cursor.GetGetter<VBuffer<T>>(column);
        VBuffer<T> value = default;
        return () =>
        {
            getter(ref value);
            var array = new JsonArray();
            foreach (var item in value.DenseValues())
                array.Add(convert(item));
            return array;
        };
    }
}
