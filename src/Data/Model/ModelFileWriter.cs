using System.IO.Compression;
using System.Text.Json.Nodes;
using MLNetExt.Core;
using MLNetExt.Core.Serialization;

namespace MLNetExt.Data;

/// <summary>
/// Writes a model zip: every object is asked to save itself first (so a model that cannot be saved fails before
/// a byte is written), then the manifest and one safetensors entry per model node that has tensors.
/// </summary>
internal sealed class ModelFileWriter
{
    private readonly List<(string Entry, List<KeyValuePair<string, Tensor>> Tensors)> _tensorEntries = [];

    private ModelFileWriter()
    {
    }

    /// <summary>Writes <paramref name="model"/> and <paramref name="inputSchema"/> as a model zip to <paramref name="stream"/>.</summary>
    public static void Write(ITransformer model, DataViewSchema? inputSchema, Stream stream)
    {
        var writer = new ModelFileWriter();
        var manifest = new JsonObject
        {
            ["format"] = ModelFormat.FormatName,
            ["formatVersion"] = ModelFormat.FormatVersion,
            ["inputSchema"] = inputSchema is null ? null : ModelSchemaJson.Write(inputSchema),
            ["model"] = writer.SaveNode(model, 0),
        };
        using var zip = new ZipArchive(stream, ZipArchiveMode.Create, leaveOpen: true);
        using (var entry = zip.CreateEntry(ModelFormat.ManifestEntry, CompressionLevel.Optimal).Open())
        using (var json = new System.Text.Json.Utf8JsonWriter(entry))
            manifest.WriteTo(json);
        foreach (var (name, tensors) in writer._tensorEntries)
            WriteTensors(zip, name, tensors);
    }

    /// <summary>
    /// Writes the model to <paramref name="path"/> atomically: into a temporary file in the same folder, flushed to
    /// disk, then renamed over the target, so that a failure leaves any previous file as it was and no temporary file.
    /// </summary>
    public static void WriteFile(ITransformer model, DataViewSchema? inputSchema, string path)
        => AtomicFile.Write(path, stream => Write(model, inputSchema, stream));

    /// <summary>Asks <paramref name="model"/> to save itself and returns its manifest node.</summary>
    internal JsonObject SaveNode(object model, int depth)
    {
        if (depth > ModelFormat.MaxModelDepth)
            throw new InvalidOperationException($"Models are nested more than {ModelFormat.MaxModelDepth} deep; the file could not be loaded back.");
        if (model is not ICanSaveModel savable)
            throw new ArgumentException(
                $"A {model.GetType().Name} cannot be saved: it does not implement {nameof(ICanSaveModel)}.", nameof(model));
        var context = new ModelSaveContext(this, depth);
        savable.Save(context);
        return context.ToNode(model.GetType());
    }

    /// <summary>Reserves a safetensors entry for one node's tensors and returns its name.</summary>
    internal string AddTensors(List<KeyValuePair<string, Tensor>> tensors)
    {
        string entry = $"{ModelFormat.TensorsFolder}{_tensorEntries.Count}.safetensors";
        _tensorEntries.Add((entry, tensors));
        return entry;
    }

    private static void WriteTensors(ZipArchive zip, string entryName, List<KeyValuePair<string, Tensor>> tensors)
    {
        using var entry = zip.CreateEntry(entryName, CompressionLevel.Fastest).Open();
        SafeTensors.Save(entry, tensors);
    }
}
