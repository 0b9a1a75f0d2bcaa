using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace MLNetExt.Transforms.Persistence;

/// <summary>Writes and reads value lists (vocabularies, key values) as JSON arrays, checking every item on the way in.</summary>
internal static class NativeValueCodec
{
    public static JsonArray Write<T>(ReadOnlySpan<T> values)
    {
        var array = new JsonArray();
        foreach (var value in values)
        {
            array.Add(value switch
            {
                float f => float.IsFinite(f) ? JsonValue.Create(f) : JsonValue.Create(f.ToString("R", System.Globalization.CultureInfo.InvariantCulture)),
                double d => double.IsFinite(d) ? JsonValue.Create(d) : JsonValue.Create(d.ToString("R", System.Globalization.CultureInfo.InvariantCulture)),
                int i => JsonValue.Create(i),
                uint u => JsonValue.Create(u),
                bool b => JsonValue.Create(b),
                ReadOnlyMemory<char> text => JsonValue.Create(text.ToString()),
                string s => JsonValue.Create(s),
                _ => throw new ArgumentException($"Values of type {typeof(T)} cannot be stored; use float, double, int, uint, bool or text.", nameof(values)),
            });
        }
        return array;
    }

    /// <summary>
    /// Reads the JSON array in <paramref name="json"/> (already scanned: <paramref name="count"/> items) as values of
    /// <typeparamref name="T"/>; an item of another kind is refused with <paramref name="invalid"/>.
    /// </summary>
    public static T[] Read<T>(ReadOnlySpan<byte> json, int count, string what, Func<string, Exception> invalid)
    {
        var result = new T[count];
        var reader = new Utf8JsonReader(json, new JsonReaderOptions { MaxDepth = NativeModelReader.MaximumDepth });
        reader.Read(); // the array's start
        for (int i = 0; i < count; i++)
        {
            reader.Read();
            bool read;
            try
            {
                read = TryItem(ref reader, out result[i]);
            }
            catch (Exception e) when (e is FormatException or InvalidOperationException or OverflowException)
            {
                read = false;
            }
            if (!read)
                throw invalid($"{what} item {i} is not a {typeof(T).Name}");
            reader.Skip();
        }
        return result;
    }

    // The item at the reader as a T; false when it is not one (an object, an array, a number out of range, text for a
    // number...). (T)(object) on a value type T is compiled away, so no item is boxed.
    private static bool TryItem<T>(ref Utf8JsonReader reader, out T value)
    {
        value = default!;
        var token = reader.TokenType;
        if (typeof(T) == typeof(float))
        {
            float f = token == JsonTokenType.String ? float.Parse(reader.GetString()!, NumberStyles.Float, CultureInfo.InvariantCulture)
                : token == JsonTokenType.Number && reader.TryGetSingle(out float number) && float.IsFinite(number) ? number : float.NaN;
            if (float.IsNaN(f) && token != JsonTokenType.String)
                return false;
            value = (T)(object)f;
            return true;
        }
        if (typeof(T) == typeof(double))
        {
            double d = token == JsonTokenType.String ? double.Parse(reader.GetString()!, NumberStyles.Float, CultureInfo.InvariantCulture)
                : token == JsonTokenType.Number && reader.TryGetDouble(out double number) && double.IsFinite(number) ? number : double.NaN;
            if (double.IsNaN(d) && token != JsonTokenType.String)
                return false;
            value = (T)(object)d;
            return true;
        }
        if (typeof(T) == typeof(int))
        {
            if (token != JsonTokenType.Number || !reader.TryGetInt32(out int i))
                return false;
            value = (T)(object)i;
            return true;
        }
        if (typeof(T) == typeof(uint))
        {
            if (token != JsonTokenType.Number || !reader.TryGetUInt32(out uint u))
                return false;
            value = (T)(object)u;
            return true;
        }
        if (typeof(T) == typeof(bool))
        {
            if (token is not (JsonTokenType.True or JsonTokenType.False))
                return false;
            value = (T)(object)(token == JsonTokenType.True);
            return true;
        }
        if (typeof(T) == typeof(ReadOnlyMemory<char>))
        {
            if (token != JsonTokenType.String)
                return false;
            value = (T)(object)reader.GetString()!.AsMemory();
            return true;
        }
        if (typeof(T) == typeof(string))
        {
            if (token != JsonTokenType.String)
                return false;
            value = (T)(object)reader.GetString()!;
            return true;
        }
        throw new ArgumentException($"Values of type {typeof(T)} cannot be read.");
    }
}
