using System.Text.Json;

namespace MLNetExt.Core.Tests.Infrastructure;

/// <summary>
/// Reference tensors written by the PyTorch generator scripts (<c>Reference/generate_*.py</c>, through
/// <c>Reference/refio.py</c>) as JSON: <c>{ "name": { "shape": [..], "data": [..] }, ... }</c>, plus scalar
/// settings under <c>"meta"</c>.
/// </summary>
public sealed class ReferenceData
{
    private readonly Dictionary<string, (int[] Shape, float[] Data)> _tensors = new(StringComparer.Ordinal);
    private readonly Dictionary<string, JsonElement> _meta = new(StringComparer.Ordinal);

    private ReferenceData() { }

    /// <summary>Loads <c>Reference/<paramref name="relativePath"/></c> from the test output folder.</summary>
    public static ReferenceData Load(string relativePath)
    {
        string path = Path.Combine(AppContext.BaseDirectory, "Reference", relativePath);
        using var document = JsonDocument.Parse(File.ReadAllBytes(path));
        var data = new ReferenceData();
        foreach (var property in document.RootElement.EnumerateObject())
        {
            if (property.Name == "meta")
            {
                foreach (var m in property.Value.EnumerateObject()) data._meta[m.Name] = m.Value.Clone();
                continue;
            }
            int[] shape = property.Value.GetProperty("shape").EnumerateArray().Select(e => e.GetInt32()).ToArray();
            float[] values = property.Value.GetProperty("data").EnumerateArray().Select(e => (float)e.GetDouble()).ToArray();
            data._tensors[property.Name] = (shape, values);
        }
        return data;
    }

    /// <summary>True when a tensor named <paramref name="name"/> is present.</summary>
    public bool Has(string name) => _tensors.ContainsKey(name);

    /// <summary>The names of every stored tensor.</summary>
    public IEnumerable<string> Names => _tensors.Keys;

    /// <summary>A fresh tensor holding the named reference values.</summary>
    public Tensor Tensor(string name)
    {
        if (!_tensors.TryGetValue(name, out var entry))
            throw new KeyNotFoundException($"Reference tensor '{name}' is missing; regenerate the reference files.");
        return Core.Tensor.FromValues(entry.Data, entry.Shape);
    }

    /// <summary>The named reference values as a flat array.</summary>
    public float[] Values(string name) => Tensor(name).Span.ToArray();

    /// <summary>A scalar setting from the <c>meta</c> block.</summary>
    public double Meta(string name) => _meta[name].GetDouble();

    /// <summary>An integer setting from the <c>meta</c> block.</summary>
    public int MetaInt(string name) => _meta[name].GetInt32();

    /// <summary>Integer data (indices, labels) stored as a tensor.</summary>
    public int[] Ints(string name) => Values(name).Select(v => (int)MathF.Round(v)).ToArray();
}
