using System.Text;
using System.Text.Json;
using MLNetExt.Core;

namespace MLNetExt.Transforms.Persistence;

/// <summary>
/// Reads back what a <see cref="NativeModelWriter"/> wrote, checking each item; every problem is an
/// <see cref="InvalidDataException"/> naming the source and the model's kind.
/// </summary>
/// <remarks>
/// The JSON document is read as it stands, without building a tree of it: one pass checks its layout (a JSON object
/// with a kind, a version, options and value lists, no key twice, nesting at most <see cref="MaximumDepth"/> deep)
/// and notes where each part is and how many items each value list holds. A value list is materialized only when a
/// loader asks for it with the count it expects, after that count was checked against the limits
/// (<see cref="SavedModelLimits"/>) and the tensors present; so a list of millions of values costs nothing until a
/// loader has a reason to want them. Loaders ask <see cref="RequireWeights"/> before building a network.
/// </remarks>
internal sealed class NativeModelReader
{
    /// <summary>The deepest nesting of JSON objects and arrays the state may have.</summary>
    public const int MaximumDepth = 64;

    private readonly byte[] _utf8;
    private readonly Range? _options;
    private readonly Dictionary<string, (Range Items, int Count)> _values = new(StringComparer.Ordinal);
    private readonly IReadOnlyDictionary<string, Tensor> _tensors;

    public NativeModelReader(NativeModelState state, string source)
    {
        ArgumentNullException.ThrowIfNull(state);
        Source = source;
        try
        {
            // Protobuf decoded the metadata as UTF-8; the JSON reader reads UTF-8 again.
            _utf8 = Encoding.UTF8.GetBytes(state.DocumentJson);
            (Kind, Version, _options) = Scan(_utf8, _values);
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or FormatException or ArgumentException)
        {
            throw new InvalidDataException($"{source}: the MLNetExt model state is not valid ({e.Message.TrimEnd('.')}).", e);
        }
        _tensors = state.Tensors;
        TensorValues = _tensors.Values.Sum(t => (long)t.Length);
    }

    /// <summary>Where the state came from (a file path), for error messages.</summary>
    public string Source { get; }

    /// <summary>The saved kind.</summary>
    public string Kind { get; } = "";

    /// <summary>The saved layout version.</summary>
    public int Version { get; }

    /// <summary>The number of float values in all the tensors the file holds for this model.</summary>
    public long TensorValues { get; }

    /// <summary>The error to throw for content that is present but wrong.</summary>
    public InvalidDataException Invalid(string problem) => new($"{Source}: MLNetExt model '{Kind}': {problem}.");

    /// <summary>
    /// Refuses a network of at least <paramref name="weights"/> weights (<paramref name="what"/> says which settings
    /// ask for them) when that is over <see cref="SavedModelLimits.MaximumWeights"/> or more than the tensors of the
    /// file hold: what loaders call before building a network from saved settings, so that a small file cannot ask
    /// for a huge one.
    /// </summary>
    public void RequireWeights(long weights, string what)
    {
        if (weights > SavedModelLimits.MaximumWeights)
            throw Invalid($"{what} ask for a network of at least {weights:N0} weights, more than the {SavedModelLimits.MaximumWeights:N0} a saved model may have");
        if (weights > TensorValues)
            throw Invalid($"{what} ask for a network of at least {weights:N0} weights, but the file holds {TensorValues:N0} values in its tensors");
    }

    /// <summary>Reads the options stored with <see cref="NativeModelWriter.SetOptions{TOptions}"/>.</summary>
    public TOptions GetOptions<TOptions>()
    {
        if (_options is not { } options)
            throw Invalid("it has no options");
        try
        {
            return JsonSerializer.Deserialize<TOptions>(_utf8.AsSpan(options), NativeModelState.JsonOptions) ?? throw Invalid("its options are null");
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or NotSupportedException or FormatException or ArgumentException)
        {
            throw Invalid($"its options do not match {typeof(TOptions).Name} ({e.Message.TrimEnd('.')})");
        }
    }

    /// <summary>
    /// Reads the value list stored under <paramref name="name"/>, which must hold <paramref name="expectedCount"/>
    /// items (checked before any is read, so the count a loader expects bounds what the list costs).
    /// </summary>
    public T[] GetValues<T>(string name, int expectedCount)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        if (!_values.TryGetValue(name, out var list))
            throw Invalid($"it has no value list '{name}'");
        if (list.Count != expectedCount)
            throw Invalid($"value list '{name}' has {list.Count:N0} items, expected {expectedCount:N0}");
        return NativeValueCodec.Read<T>(_utf8.AsSpan(list.Items), expectedCount, $"value list '{name}'", Invalid);
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

    // One pass over the document: its layout, the options' bytes, each value list's bytes and item count.
    private static (string Kind, int Version, Range? Options) Scan(byte[] utf8, Dictionary<string, (Range, int)> values)
    {
        var reader = new Utf8JsonReader(utf8, new JsonReaderOptions { MaxDepth = MaximumDepth });
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            throw new JsonException("the document is not a JSON object");
        string? kind = null;
        int? version = null;
        Range? options = null;
        var keys = new HashSet<string>(StringComparer.Ordinal);
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            string key = reader.GetString()!;
            if (!keys.Add(key))
                throw new JsonException($"it has the key '{key}' twice");
            reader.Read();
            switch (key)
            {
                case "kind":
                    kind = reader.TokenType == JsonTokenType.String ? reader.GetString() : throw new JsonException("its kind is not a string");
                    break;
                case "version":
                    version = reader.TokenType == JsonTokenType.Number && reader.TryGetInt32(out int number) ? number : throw new JsonException("its version is not a whole number");
                    break;
                case "options":
                    int start = (int)reader.TokenStartIndex;
                    reader.Skip();
                    options = start..(int)reader.BytesConsumed;
                    break;
                case "values":
                    ScanValues(ref reader, values);
                    break;
                default:
                    reader.Skip();
                    break;
            }
        }
        if (reader.TokenType != JsonTokenType.EndObject)
            throw new JsonException("the document is not a JSON object");
        // Anything but white space after the object is an error of the reader's own.
        while (reader.Read())
        {
        }
        if (string.IsNullOrEmpty(kind))
            throw new JsonException("it names no kind");
        return (kind, version ?? throw new JsonException("it has no version"), options);
    }

    private static void ScanValues(ref Utf8JsonReader reader, Dictionary<string, (Range, int)> values)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
            throw new JsonException("its values are not a JSON object");
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            string name = reader.GetString()!;
            if (values.ContainsKey(name))
                throw new JsonException($"it has the value list '{name}' twice");
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartArray)
                throw new JsonException($"its value list '{name}' is not a JSON array");
            int start = (int)reader.TokenStartIndex, count = 0;
            while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
            {
                count++;
                reader.Skip();
            }
            values.Add(name, (start..(int)reader.BytesConsumed, count));
        }
    }
}
