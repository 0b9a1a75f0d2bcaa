using System.IO.Compression;
using System.Text.Json;
using System.Text.Json.Nodes;
using MLNetExt.Core;
using MLNetExt.Core.Serialization;

namespace MLNetExt.Data;

/// <summary>
/// Reads a model zip. The whole manifest is checked first (format, version, node structure, nesting depth, and
/// that its tensor entries and the zip's entries match one to one) before any loader runs; every size read from
/// the file is capped before anything is allocated for it. Every problem is an <see cref="InvalidDataException"/>
/// that names the source and the problem.
/// </summary>
internal sealed class ModelFileReader
{
    private readonly Dictionary<string, ZipArchiveEntry> _entries;
    private long _bytesRead;

    private ModelFileReader(string source, Dictionary<string, ZipArchiveEntry> entries)
    {
        Source = source;
        _entries = entries;
    }

    /// <summary>The file name (or "the stream") for messages.</summary>
    public string Source { get; }

    /// <summary>Reads the model in <paramref name="stream"/>.</summary>
    public static ITransformer Read(Stream stream, string source, out DataViewSchema? inputSchema)
    {
        Exception Invalid(string problem) => ModelFormat.Invalid(source, problem);
        if (!stream.CanSeek)
        {
            // A zip is read from its end, so a forward-only stream is buffered first, within the in-memory cap.
            var buffered = new MemoryStream();
            if (CopyAtMost(stream, buffered, ModelFormat.MaxBufferedStreamBytes + 1) > ModelFormat.MaxBufferedStreamBytes)
                throw Invalid($"the stream holds more than the {ModelFormat.MaxBufferedStreamBytes} bytes a non-seekable stream may hold");
            buffered.Position = 0;
            stream = buffered;
        }
        ZipArchive zip;
        try
        {
            zip = new ZipArchive(stream, ZipArchiveMode.Read, leaveOpen: true);
        }
        catch (InvalidDataException e)
        {
            throw ModelFormat.Invalid(source, $"it is not a readable zip archive ({e.Message})", e);
        }
        using (zip)
        {
            if (zip.Entries.Count > ModelFormat.MaxEntries)
                throw Invalid($"it holds {zip.Entries.Count} entries, more than the {ModelFormat.MaxEntries} allowed");
            var entries = new Dictionary<string, ZipArchiveEntry>(StringComparer.Ordinal);
            foreach (var entry in zip.Entries)
            {
                if (!entries.TryAdd(entry.FullName, entry))
                    throw Invalid($"the entry '{entry.FullName}' appears more than once");
            }
            var reader = new ModelFileReader(source, entries);
            try
            {
                return reader.ReadModel(out inputSchema);
            }
            catch (InvalidDataException e) when (!e.Message.StartsWith($"'{source}'", StringComparison.Ordinal))
            {
                // The zip layer's own errors (bad CRC, truncated deflate data) name no file.
                throw ModelFormat.Invalid(source, $"an entry cannot be read ({e.Message})", e);
            }
            catch (EndOfStreamException e)
            {
                throw ModelFormat.Invalid(source, "it ended before an entry was fully read (it is truncated)", e);
            }
        }
    }

    private ITransformer ReadModel(out DataViewSchema? inputSchema)
    {
        if (!_entries.TryGetValue(ModelFormat.ManifestEntry, out var manifestEntry))
            throw Invalid($"it has no '{ModelFormat.ManifestEntry}' entry (it is not an MLNetExt model)");
        var manifest = ParseManifest(manifestEntry);
        if (manifest["format"] is not JsonValue format || !format.TryGetValue(out string? formatName) || formatName != ModelFormat.FormatName)
            throw Invalid($"its manifest does not declare the format '{ModelFormat.FormatName}' (it is not an MLNetExt model)");
        if (manifest["formatVersion"] is not JsonValue version || !version.TryGetValue(out int formatVersion))
            throw Invalid("its manifest has no integer format version");
        if (formatVersion != ModelFormat.FormatVersion)
            throw Invalid($"its format version is {formatVersion}, but this code reads version {ModelFormat.FormatVersion}");

        var referenced = new HashSet<string>(StringComparer.Ordinal) { ModelFormat.ManifestEntry };
        CheckNode(manifest["model"], 0, "the root model", referenced);
        foreach (var name in _entries.Keys)
        {
            if (!referenced.Contains(name))
                throw Invalid($"the entry '{name}' is not referenced by the manifest");
        }
        inputSchema = manifest["inputSchema"] is null ? null : ModelSchemaJson.Read(manifest["inputSchema"], Invalid);
        var model = LoadNode(manifest["model"], 0);
        return model as ITransformer ?? throw Invalid($"its root model is a {model.GetType().Name}, not a transformer");
    }

    private JsonObject ParseManifest(ZipArchiveEntry entry)
    {
        if (entry.Length > ModelFormat.MaxManifestBytes)
            throw Invalid($"its manifest is {entry.Length} bytes, more than the {ModelFormat.MaxManifestBytes} allowed");
        var bytes = ReadEntry(entry, entry.Length);
        try
        {
            var node = JsonNode.Parse(bytes, documentOptions: new JsonDocumentOptions { MaxDepth = ModelFormat.MaxJsonDepth });
            return node as JsonObject ?? throw Invalid("its manifest is not a JSON object");
        }
        catch (JsonException e)
        {
            throw ModelFormat.Invalid(Source, $"its manifest is not valid JSON ({e.Message})", e);
        }
    }

    private byte[] ReadEntry(ZipArchiveEntry entry, long declaredLength)
    {
        var bytes = new byte[declaredLength];
        using var stream = entry.Open();
        stream.ReadExactly(bytes);
        if (stream.ReadByte() >= 0)
            throw Invalid($"the entry '{entry.FullName}' holds more bytes than its declared {declaredLength}");
        CheckCrc(entry, ZipCrc32.Append(0, bytes));
        _bytesRead += declaredLength;
        return bytes;
    }

    /// <summary>Checks a model node's structure (recursively) and records the tensor entries it references.</summary>
    private void CheckNode(JsonNode? node, int depth, string describe, HashSet<string> referenced)
    {
        if (depth > ModelFormat.MaxModelDepth)
            throw Invalid($"its models are nested more than {ModelFormat.MaxModelDepth} deep");
        if (node is not JsonObject model)
            throw Invalid($"{describe} is not a JSON object");
        if (model["kind"] is not JsonValue kind || !kind.TryGetValue(out string? kindName) || kindName.Length == 0)
            throw Invalid($"{describe} has no kind");
        describe = $"{describe} (kind '{kindName}')";
        if (model["version"] is not JsonValue version || !version.TryGetValue(out int v) || v < 1)
            throw Invalid($"{describe} has no valid version");
        if (model["values"] is not JsonObject)
            throw Invalid($"{describe} has no values object");
        if (model["tensors"] is { } tensors)
        {
            if (tensors is not JsonValue entry || !entry.TryGetValue(out string? entryName))
                throw Invalid($"{describe} has a tensors reference that is not a string");
            if (!_entries.ContainsKey(entryName))
                throw Invalid($"{describe} refers to the entry '{entryName}', which the zip does not hold");
            if (!entryName.StartsWith(ModelFormat.TensorsFolder, StringComparison.Ordinal) || !referenced.Add(entryName))
                throw Invalid($"{describe} refers to the entry '{entryName}', which is not a tensors entry of its own");
        }
        if (model["models"] is not JsonArray children)
            throw Invalid($"{describe} has no models array");
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var child in children)
        {
            if (child is not JsonObject pair || pair["name"] is not JsonValue name || !name.TryGetValue(out string? childName) || !names.Add(childName))
                throw Invalid($"a nested model of {describe} has no name, or a repeated one");
            CheckNode(pair["model"], depth + 1, $"nested model '{childName}' of {describe}", referenced);
        }
    }

    /// <summary>Loads a checked model node through its kind's registered loader.</summary>
    internal object LoadNode(JsonNode? node, int depth)
    {
        var model = (JsonObject)node!;
        string kind = model["kind"]!.GetValue<string>();
        var loader = ModelKindRegistry.Find(kind) ?? throw Invalid(
            $"it names the model kind '{kind}', which is not registered (known kinds: {string.Join(", ", ModelKindRegistry.Kinds)}); " +
            "the assembly that defines it must be loaded");
        var tensors = model["tensors"] is JsonValue entry
            ? ReadTensors(_entries[entry.GetValue<string>()])
            : new Dictionary<string, Tensor>();
        var context = new ModelLoadContext(this, model, kind, model["version"]!.GetValue<int>(), depth, tensors);
        try
        {
            return loader(context) ?? throw context.Invalid("its loader returned null");
        }
        catch (ArgumentException e)
        {
            throw context.Invalid($"its saved content is rejected ({e.Message})");
        }
    }

    private IReadOnlyDictionary<string, Tensor> ReadTensors(ZipArchiveEntry entry)
    {
        if (entry.Length > ModelFormat.MaxTensorEntryBytes)
            throw Invalid($"the entry '{entry.FullName}' is {entry.Length} bytes, more than the {ModelFormat.MaxTensorEntryBytes} allowed");
        if (_bytesRead + entry.Length > ModelFormat.MaxTotalBytes)
            throw Invalid($"its entries hold more than the {ModelFormat.MaxTotalBytes} bytes allowed");
        // The entry is copied into memory first: its CRC must be checked before anything is parsed, and the
        // safetensors reader checks every size against the length of a seekable stream.
        using var buffer = new MemoryStream((int)entry.Length);
        using (var source = entry.Open())
        {
            uint crc = 0;
            long copied = CopyAtMost(source, buffer, entry.Length + 1, chunk => crc = ZipCrc32.Append(crc, chunk));
            if (copied != entry.Length)
                throw Invalid($"the entry '{entry.FullName}' holds {(copied > entry.Length ? "more" : "fewer")} bytes than its declared {entry.Length}");
            CheckCrc(entry, crc);
        }
        _bytesRead += entry.Length;
        buffer.Position = 0;
        try
        {
            return SafeTensors.Load(buffer, entry.FullName).Tensors;
        }
        catch (InvalidDataException e)
        {
            throw ModelFormat.Invalid(Source, $"the entry '{entry.FullName}' is not valid safetensors ({e.Message})", e);
        }
    }

    private void CheckCrc(ZipArchiveEntry entry, uint crc)
    {
        if (crc != entry.Crc32)
            throw Invalid($"the entry '{entry.FullName}' fails its CRC-32 check (the file is corrupt)");
    }

    private static long CopyAtMost(Stream source, Stream target, long limit, Action<ReadOnlySpan<byte>>? observe = null)
    {
        var buffer = new byte[1 << 16];
        long total = 0;
        int read;
        while (total < limit && (read = source.Read(buffer, 0, (int)Math.Min(buffer.Length, limit - total))) > 0)
        {
            target.Write(buffer, 0, read);
            observe?.Invoke(buffer.AsSpan(0, read));
            total += read;
        }
        return total;
    }

    private InvalidDataException Invalid(string problem) => ModelFormat.Invalid(Source, problem);
}
