using System.Text.Json;
using System.Text.Json.Nodes;
using MLNetExt.Core;

namespace MLNetExt.Transforms.Persistence;

/// <summary>
/// Reads back what a <see cref="NativeModelWriter"/> wrote, checking each item; every problem is an
/// <see cref="InvalidDataException"/> naming the source and the model's kind.
/// </summary>
internal sealed class NativeModelReader
{
    private readonly JsonObject _document;
    private readonly IReadOnlyDictionary<string, Tensor> _tensors;

    public NativeModelReader(NativeModelState state, string source)
    {
        ArgumentNullException.ThrowIfNull(state);
        Source = source;
        try
        {
            _document = JsonNode.Parse(state.DocumentJson) as JsonObject ?? throw new JsonException("the document is not a JSON object");
            Kind = _document["kind"]?.GetValue<string>() ?? throw new JsonException("it names no kind");
            Version = _document["version"]?.GetValue<int>() ?? throw new JsonException("it has no version");
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or FormatException)
        {
            throw new InvalidDataException($"{source}: the MLNetExt model state is not valid ({e.Message}).", e);
        }
        _tensors = state.Tensors;
    }

    /// <summary>Where the state came from (a file path), for error messages.</summary>
    public string Source { get; }

    /// <summary>The saved kind.</summary>
    public string Kind { get; } = "";

    /// <summary>The saved layout version.</summary>
    public int Version { get; }

    /// <summary>The error to throw for content that is present but wrong.</summary>
    public InvalidDataException Invalid(string problem) => new($"{Source}: MLNetExt model '{Kind}': {problem}.");

    /// <summary>Reads the options stored with <see cref="NativeModelWriter.SetOptions{TOptions}"/>.</summary>
    public TOptions GetOptions<TOptions>()
    {
        var options = _document["options"] ?? throw Invalid("it has no options");
        try
        {
            return options.Deserialize<TOptions>(NativeModelState.JsonOptions) ?? throw Invalid("its options are null");
        }
        catch (JsonException e)
        {
            throw Invalid($"its options do not match {typeof(TOptions).Name} ({e.Message})");
        }
    }

    /// <summary>Reads the value list stored under <paramref name="name"/>.</summary>
    public T[] GetValues<T>(string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        if (_document["values"] is not JsonObject values || values[name] is not JsonArray list)
            throw Invalid($"it has no value list '{name}'");
        return NativeValueCodec.Read<T>(list, $"value list '{name}'", Invalid);
    }

    /// <summary>The tensor stored under <paramref name="name"/>, checked against <paramref name="expectedShape"/>.</summary>
    public Tensor GetTensor(string name, params ReadOnlySpan<int> expectedShape)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        if (!_tensors.TryGetValue(name, out var tensor))
            throw Invalid($"it has no tensor '{name}'");
        if (!tensor.HasShape(expectedShape))
            throw Invalid($"tensor '{name}' has shape [{string.Join(", ", tensor.Shape.ToArray())}], expected [{string.Join(", ", expectedShape.ToArray())}]");
        return tensor;
    }
}
