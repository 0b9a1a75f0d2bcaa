using System.Text.Json;
using System.Text.Json.Serialization;
using MLNetExt.Core;

namespace MLNetExt.Transforms.Persistence;

/// <summary>
/// A native MLNetExt transformer's saved state: a JSON document (kind, version, settings, value lists) and its
/// float32 tensors by PyTorch state_dict name.
/// </summary>
/// <param name="DocumentJson">The JSON document.</param>
/// <param name="Tensors">The tensors.</param>
internal sealed record NativeModelState(string DocumentJson, IReadOnlyDictionary<string, Tensor> Tensors)
{
    /// <summary>
    /// How settings are written: public properties, enums by name, no indentation; and read: a key twice is an error
    /// (not the last one winning), nesting at most <see cref="NativeModelReader.MaximumDepth"/> deep.
    /// </summary>
    public static JsonSerializerOptions JsonOptions { get; } = new()
    {
        Converters = { new JsonStringEnumConverter() },
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        AllowDuplicateProperties = false,
        MaxDepth = NativeModelReader.MaximumDepth,
    };
}
