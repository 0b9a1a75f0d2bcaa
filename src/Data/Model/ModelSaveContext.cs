using System.Text.Json;
using System.Text.Json.Nodes;
using MLNetExt.Core;

namespace MLNetExt.Data;

/// <summary>
/// What an <see cref="ICanSaveModel"/> writes itself into, as ML.NET's <c>ModelSaveContext</c>. One context describes
/// one model node of the file's manifest: its registered kind and version, its options (any JSON-serializable
/// object), named lists of column values (vocabularies), named float32 tensors (stored as one safetensors entry of
/// the zip) and named nested models (each written through its own context).
/// </summary>
/// <remarks>
/// Nothing about the .NET type is written: the file names the kind, and loading calls the loader that code
/// registered for that kind in <see cref="ModelKindRegistry"/>, which reads back what was written here through a
/// <see cref="ModelLoadContext"/>.
/// </remarks>
public sealed class ModelSaveContext
{
    private readonly ModelFileWriter _writer;
    private readonly int _depth;
    private readonly JsonObject _values = [];
    private readonly JsonArray _models = [];
    private readonly List<KeyValuePair<string, Tensor>> _tensors = [];
    private readonly HashSet<string> _modelNames = new(StringComparer.Ordinal);
    private string? _kind;
    private int _version;
    private JsonNode? _options;

    internal ModelSaveContext(ModelFileWriter writer, int depth)
    {
        _writer = writer;
        _depth = depth;
    }

    /// <summary>Names the kind the object is saved as (the key of its loader in <see cref="ModelKindRegistry"/>) and its layout version.</summary>
    /// <param name="kind">A registered kind, e.g. <c>"ValueToKeyMapping"</c>.</param>
    /// <param name="version">The version of what this kind writes, at least 1; its loader may read older versions.</param>
    /// <exception cref="InvalidOperationException">The kind was already set.</exception>
    public void SetKind(string kind, int version = 1)
    {
        ArgumentException.ThrowIfNullOrEmpty(kind);
        ArgumentOutOfRangeException.ThrowIfLessThan(version, 1);
        if (_kind is not null)
            throw new InvalidOperationException($"The kind of this model was already set to '{_kind}'.");
        _kind = kind;
        _version = version;
    }

    /// <summary>Stores <paramref name="options"/> as JSON (public properties; enums by name).</summary>
    /// <typeparam name="TOptions">The options type, read back with <see cref="ModelLoadContext.GetOptions{TOptions}"/>.</typeparam>
    /// <param name="options">The options.</param>
    public void SetOptions<TOptions>(TOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = JsonSerializer.SerializeToNode(options, ModelFormat.JsonOptions);
    }

    /// <summary>Stores a list of values under <paramref name="name"/>, e.g. a vocabulary.</summary>
    /// <typeparam name="T">float, double, int, uint, bool, <see cref="ReadOnlyMemory{T}"/> of char, or string.</typeparam>
    /// <param name="name">A name unique among this model's value lists.</param>
    /// <param name="values">The values.</param>
    public void AddValues<T>(string name, ReadOnlySpan<T> values)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        if (_values.ContainsKey(name))
            throw new ArgumentException($"A value list named '{name}' was already added.", nameof(name));
        string type = ModelValueCodec.TypeName(typeof(T))
            ?? throw new ArgumentException($"Values of type {typeof(T)} cannot be stored; use float, double, int, uint, bool or text.", nameof(values));
        _values[name] = new JsonObject { ["type"] = type, ["items"] = ModelValueCodec.Write(values) };
    }

    /// <summary>Stores a float32 tensor under <paramref name="name"/> (its data is copied when the file is written).</summary>
    /// <param name="name">A name unique among this model's tensors.</param>
    /// <param name="tensor">The tensor.</param>
    public void AddTensor(string name, Tensor tensor)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(tensor);
        if (_tensors.Any(t => t.Key == name))
            throw new ArgumentException($"A tensor named '{name}' was already added.", nameof(name));
        _tensors.Add(new(name, tensor));
    }

    /// <summary>Saves a nested model (e.g. a chain's transformer) under <paramref name="name"/>, through its own context.</summary>
    /// <param name="name">A name unique among this model's nested models.</param>
    /// <param name="model">The nested model.</param>
    /// <exception cref="ArgumentException"><paramref name="model"/> cannot be saved (it does not implement <see cref="ICanSaveModel"/>).</exception>
    public void AddModel(string name, object model)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(model);
        if (!_modelNames.Add(name))
            throw new ArgumentException($"A nested model named '{name}' was already added.", nameof(name));
        _models.Add(new JsonObject { ["name"] = name, ["model"] = _writer.SaveNode(model, _depth + 1) });
    }

    /// <summary>The manifest node of what was written; the tensors are handed to the writer.</summary>
    internal JsonObject ToNode(Type savedType)
    {
        if (_kind is null)
            throw new InvalidOperationException($"{savedType.Name}.Save did not call SetKind, so it cannot be loaded back.");
        var node = new JsonObject
        {
            ["kind"] = _kind,
            ["version"] = _version,
            ["options"] = _options,
            ["values"] = _values,
            ["models"] = _models,
        };
        if (_tensors.Count > 0)
            node["tensors"] = _writer.AddTensors(_tensors);
        return node;
    }
}
