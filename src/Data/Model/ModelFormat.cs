using System.Text.Json;
using System.Text.Json.Serialization;

namespace MLNetExt.Data;

/// <summary>
/// The constants of the model zip: its entry names, format identifier and version, and the size caps checked
/// before anything read from a file is allocated.
/// </summary>
internal static class ModelFormat
{
    /// <summary>The manifest's <c>format</c> field: tells our models from other zips.</summary>
    public const string FormatName = "MLNetExt.Model";

    /// <summary>The manifest layout this code writes and reads.</summary>
    public const int FormatVersion = 1;

    /// <summary>The manifest entry's name.</summary>
    public const string ManifestEntry = "manifest.json";

    /// <summary>The folder of the safetensors entries, one per model node that has tensors.</summary>
    public const string TensorsFolder = "tensors/";

    /// <summary>The most entries a model zip may hold.</summary>
    public const int MaxEntries = 4096;

    /// <summary>The largest manifest accepted, in bytes.</summary>
    public const long MaxManifestBytes = 64L * 1024 * 1024;

    /// <summary>The largest tensors entry accepted, in bytes: what one in-memory buffer can hold (just under 2 GiB).</summary>
    public const long MaxTensorEntryBytes = 0x7FFFFFC7;

    /// <summary>The most decompressed bytes a whole model may hold.</summary>
    public const long MaxTotalBytes = 8L * 1024 * 1024 * 1024;

    /// <summary>The most bytes buffered in memory from a stream that cannot seek.</summary>
    public const long MaxBufferedStreamBytes = int.MaxValue;

    /// <summary>The deepest JSON nesting accepted in the manifest: room for <see cref="MaxModelDepth"/> nested models, whose own check then gives the clearer message.</summary>
    public const int MaxJsonDepth = 128;

    /// <summary>The deepest nesting of models (chains within chains) accepted.</summary>
    public const int MaxModelDepth = 16;

    /// <summary>How options objects are written and read: enums by name, non-finite floats as named literals.</summary>
    public static JsonSerializerOptions JsonOptions { get; } = new()
    {
        Converters = { new JsonStringEnumConverter() },
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        MaxDepth = MaxJsonDepth,
        WriteIndented = false,
    };

    /// <summary>The error for a model file that cannot be read, naming the file and the problem.</summary>
    public static InvalidDataException Invalid(string source, string problem, Exception? inner = null) =>
        new($"'{source}' is not a valid MLNetExt model: {problem}.", inner);
}
