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

    public static T[] Read<T>(JsonArray array, string what, Func<string, Exception> invalid)
    {
        var result = new T[array.Count];
        for (int i = 0; i < array.Count; i++)
        {
            if (array[i] is not JsonValue item)
                throw invalid($"{what} item {i} is not a value");
            try
            {
                result[i] = (T)(object)(typeof(T) switch
                {
                    var t when t == typeof(float) => item.TryGetValue(out float f) ? f : float.Parse(item.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture),
                    var t when t == typeof(double) => item.TryGetValue(out double d) ? d : double.Parse(item.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture),
                    var t when t == typeof(int) => item.GetValue<int>(),
                    var t when t == typeof(uint) => item.GetValue<uint>(),
                    var t when t == typeof(bool) => item.GetValue<bool>(),
                    var t when t == typeof(ReadOnlyMemory<char>) => item.GetValue<string>().AsMemory(),
                    var t when t == typeof(string) => item.GetValue<string>(),
                    _ => throw new ArgumentException($"Values of type {typeof(T)} cannot be read."),
                });
            }
            catch (Exception e) when (e is FormatException or InvalidOperationException)
            {
                throw invalid($"{what} item {i} is not a {typeof(T).Name}");
            }
        }
        return result;
    }
}
