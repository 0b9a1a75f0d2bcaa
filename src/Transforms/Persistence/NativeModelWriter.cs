using System.Text.Json;
using System.Text.Json.Nodes;
using MLNetExt.Core;

namespace MLNetExt.Transforms.Persistence;

/// <summary>
/// What an MLNetExt transformer writes of itself so that MLNetExt can rebuild the native transformer later (to go on
/// training, or to query word vectors): its kind and layout version, its settings as JSON, named value lists
/// (vocabularies, label key values) and named float32 tensors (weights by PyTorch state_dict name).
/// </summary>
/// <remarks>
/// The state travels inside the ONNX graph that the saved ML.NET model scores with (see <see cref="NativeModelState"/>),
/// so one ML.NET model file serves both plain ML.NET and MLNetExt. Nothing about .NET types is written: a reader
/// picks the loader by kind from a fixed list in code.
/// </remarks>
internal sealed class NativeModelWriter
{
    private readonly JsonObject _values = [];
    private readonly List<KeyValuePair<string, Tensor>> _tensors = [];
    private string? _kind;
    private int _version;
    private JsonNode? _options;

    /// <summary>Names the kind the object is saved as and its layout version.</summary>
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
    public void SetOptions<TOptions>(TOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = JsonSerializer.SerializeToNode(options, NativeModelState.JsonOptions);
    }

    /// <summary>Stores a list of values under <paramref name="name"/>, e.g. a vocabulary.</summary>
    /// <typeparam name="T">float, double, int, uint, bool, <see cref="ReadOnlyMemory{T}"/> of char, or string.</typeparam>
    public void AddValues<T>(string name, ReadOnlySpan<T> values)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        if (_values.ContainsKey(name))
            throw new ArgumentException($"A value list named '{name}' was already added.", nameof(name));
        _values[name] = NativeValueCodec.Write(values);
    }

    /// <summary>Stores a float32 tensor under <paramref name="name"/>.</summary>
    public void AddTensor(string name, Tensor tensor)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(tensor);
        if (_tensors.Any(t => t.Key == name))
            throw new ArgumentException($"A tensor named '{name}' was already added.", nameof(name));
        _tensors.Add(new(name, tensor));
    }

    /// <summary>What was written.</summary>
    public NativeModelState ToState()
    {
        if (_kind is null)
            throw new InvalidOperationException("SetKind was not called, so the model could not be reopened.");
        var document = new JsonObject
        {
            ["kind"] = _kind,
            ["version"] = _version,
            ["options"] = _options?.DeepClone(),
            ["values"] = _values.DeepClone(),
        };
        return new NativeModelState(document.ToJsonString(), _tensors.ToDictionary(t => t.Key, t => t.Value, StringComparer.Ordinal));
    }
}
