using System.Text.Json;
using System.Text.Json.Nodes;
using MLNetExt.Core;

namespace MLNetExt.Data;

/// <summary>
/// What a registered loader reads a saved object back from, as ML.NET's <c>ModelLoadContext</c>: the model node
/// written by one <see cref="ModelSaveContext"/>. Every accessor checks what it reads and fails with an
/// <see cref="InvalidDataException"/> that names the file, the kind and the problem (see <see cref="Invalid"/>).
/// </summary>
public sealed class ModelLoadContext
{
    private readonly ModelFileReader _reader;
    private readonly JsonObject _node;
    private readonly int _depth;
    private readonly IReadOnlyDictionary<string, Tensor> _tensors;

    internal ModelLoadContext(ModelFileReader reader, JsonObject node, string kind, int version, int depth,
        IReadOnlyDictionary<string, Tensor> tensors)
    {
        _reader = reader;
        _node = node;
        _depth = depth;
        _tensors = tensors;
        Kind = kind;
        Version = version;
    }

    /// <summary>The kind the object was saved as.</summary>
    public string Kind { get; }

    /// <summary>The layout version the object was saved with.</summary>
    public int Version { get; }

    /// <summary>The file (or "the stream") being read, for messages.</summary>
    public string Source => _reader.Source;

    /// <summary>The names of the nested models, in the order they were saved.</summary>
    public IReadOnlyList<string> ModelNames => [.. ((JsonArray)_node["models"]!).Select(m => m!["name"]!.GetValue<string>())];

    /// <summary>The names of the stored tensors.</summary>
    public IReadOnlyCollection<string> TensorNames => [.. _tensors.Keys];

    /// <summary>The error to throw for content that is present but wrong, naming the file, the kind and <paramref name="problem"/>.</summary>
    /// <param name="problem">What is wrong, e.g. "option 'MaximumLength' is 0, expected at least 1".</param>
    public InvalidDataException Invalid(string problem) => ModelFormat.Invalid(Source, $"model '{Kind}': {problem}");

    /// <summary>Reads the options stored with <see cref="ModelSaveContext.SetOptions{TOptions}"/>.</summary>
    /// <typeparam name="TOptions">The options type, chosen by the loader (never by the file).</typeparam>
    public TOptions GetOptions<TOptions>()
    {
        var options = _node["options"] ?? throw Invalid("it has no options");
        try
        {
            return options.Deserialize<TOptions>(ModelFormat.JsonOptions) ?? throw Invalid("its options are null");
        }
        catch (JsonException e)
        {
            throw Invalid($"its options do not match {typeof(TOptions).Name} ({e.Message})");
        }
    }

    /// <summary>Reads the value list stored under <paramref name="name"/> with <see cref="ModelSaveContext.AddValues{T}"/>.</summary>
    /// <typeparam name="T">The item type it was stored with.</typeparam>
    /// <param name="name">The list's name.</param>
    public T[] GetValues<T>(string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        if (((JsonObject)_node["values"]!)[name] is not JsonObject list)
            throw Invalid($"it has no value list '{name}'");
        string? expected = ModelValueCodec.TypeName(typeof(T));
        if (list["type"] is not JsonValue type || !type.TryGetValue(out string? stored) || stored != expected)
            throw Invalid($"value list '{name}' does not hold {expected} values");
        return ModelValueCodec.Read<T>(list["items"], $"value list '{name}'", Invalid);
    }

    /// <summary>The tensor stored under <paramref name="name"/>, checked against <paramref name="expectedShape"/>.</summary>
    /// <param name="name">The tensor's name.</param>
    /// <param name="expectedShape">The shape the loader needs.</param>
    public Tensor GetTensor(string name, params ReadOnlySpan<int> expectedShape)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        if (!_tensors.TryGetValue(name, out var tensor))
            throw Invalid($"it has no tensor '{name}'");
        if (!tensor.HasShape(expectedShape))
            throw Invalid($"tensor '{name}' has shape [{string.Join(", ", tensor.Shape.ToArray())}], expected [{string.Join(", ", expectedShape.ToArray())}]");
        return tensor;
    }

    /// <summary>Loads the nested model saved under <paramref name="name"/> through its kind's registered loader.</summary>
    /// <typeparam name="TModel">What the nested model must be, e.g. <see cref="ITransformer"/>.</typeparam>
    /// <param name="name">The nested model's name.</param>
    public TModel LoadModel<TModel>(string name) where TModel : class
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        var entry = ((JsonArray)_node["models"]!).FirstOrDefault(m => m!["name"]!.GetValue<string>() == name)
            ?? throw Invalid($"it has no nested model '{name}'");
        var model = _reader.LoadNode(entry["model"], _depth + 1);
        return model as TModel ?? throw Invalid($"nested model '{name}' is a {model.GetType().Name}, not a {typeof(TModel).Name}");
    }
}
