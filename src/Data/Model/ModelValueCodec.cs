using System.Text.Json.Nodes;

namespace MLNetExt.Data;

/// <summary>
/// Writes lists of column values (the raw types of the primitive column types) as JSON arrays and reads them
/// back, checking every item: text as strings, numbers as numbers, non-finite floats as the strings
/// <c>"NaN"</c>, <c>"Infinity"</c> and <c>"-Infinity"</c>.
/// </summary>
internal static class ModelValueCodec
{
    /// <summary>The item type's name in the file, or null when values of <paramref name="rawType"/> cannot be stored.</summary>
    public static string? TypeName(Type rawType) =>
        rawType == typeof(float) ? "Single"
        : rawType == typeof(double) ? "Double"
        : rawType == typeof(int) ? "Int32"
        : rawType == typeof(uint) ? "UInt32"
        : rawType == typeof(bool) ? "Boolean"
        : rawType == typeof(ReadOnlyMemory<char>) || rawType == typeof(string) ? "Text"
        : null;

    /// <summary>The items as a JSON array.</summary>
    public static JsonArray Write<T>(ReadOnlySpan<T> values)
    {
        var array = new JsonArray();
        foreach (var value in values)
            array.Add(WriteItem(value));
        return array;
    }

    private static JsonNode WriteItem<T>(T value) => value switch
    {
        float f => float.IsFinite(f) ? JsonValue.Create(f) : JsonValue.Create(NonFiniteName(f)),
        double d => double.IsFinite(d) ? JsonValue.Create(d) : JsonValue.Create(NonFiniteName(d)),
        int i => JsonValue.Create(i),
        uint u => JsonValue.Create(u),
        bool b => JsonValue.Create(b),
        ReadOnlyMemory<char> text => JsonValue.Create(text.ToString()),
        string s => JsonValue.Create(s),
        _ => throw new ArgumentException($"Values of type {typeof(T)} cannot be stored in a model file; store Single, Double, Int32, UInt32, Boolean or text.", nameof(value)),
    };

    private static string NonFiniteName(double value) => double.IsNaN(value) ? "NaN" : value > 0 ? "Infinity" : "-Infinity";

    /// <summary>Reads a JSON array written by <see cref="Write{T}"/>.</summary>
    /// <param name="node">The array.</param>
    /// <param name="describe">Names the list in errors, e.g. "values 'vocabulary' of model 'X'".</param>
    /// <param name="invalid">Makes the error to throw for a problem.</param>
    public static T[] Read<T>(JsonNode? node, string describe, Func<string, Exception> invalid)
    {
        if (node is not JsonArray array)
            throw invalid($"{describe} is not a JSON array");
        var result = new T[array.Count];
        for (int i = 0; i < array.Count; i++)
            result[i] = ReadItem<T>(array[i], $"{describe}, item {i}", invalid);
        return result;
    }

    private static T ReadItem<T>(JsonNode? node, string describe, Func<string, Exception> invalid)
    {
        if (node is not JsonValue value)
            throw invalid($"{describe} is not a JSON value");
        object? item = null;
        if (typeof(T) == typeof(float))
            item = ReadFloating(value, describe, invalid, out double d) ? (float)d : null;
        else if (typeof(T) == typeof(double))
            item = ReadFloating(value, describe, invalid, out double d) ? d : null;
        else if (typeof(T) == typeof(int))
            item = value.TryGetValue(out int i) ? i : null;
        else if (typeof(T) == typeof(uint))
            item = value.TryGetValue(out uint u) ? u : null;
        else if (typeof(T) == typeof(bool))
            item = value.TryGetValue(out bool b) ? b : null;
        else if (typeof(T) == typeof(ReadOnlyMemory<char>))
            item = value.TryGetValue(out string? s) ? s.AsMemory() : null;
        else if (typeof(T) == typeof(string))
            item = value.TryGetValue(out string? s) ? s : null;
        else
            throw new ArgumentException($"Values of type {typeof(T)} cannot be read from a model file.", nameof(T));
        return item is T typed ? typed : throw invalid($"{describe} is not a {TypeName(typeof(T))}");
    }

    private static bool ReadFloating(JsonValue value, string describe, Func<string, Exception> invalid, out double result)
    {
        if (value.TryGetValue(out double number))
        {
            result = number;
            return true;
        }
        if (value.TryGetValue(out string? name))
        {
            result = name switch
            {
                "NaN" => double.NaN,
                "Infinity" => double.PositiveInfinity,
                "-Infinity" => double.NegativeInfinity,
                _ => throw invalid($"{describe} is the string '{name}', not a number"),
            };
            return true;
        }
        result = 0;
        return false;
    }
}
