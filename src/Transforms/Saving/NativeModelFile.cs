using System.Buffers.Binary;
using System.IO.Compression;
using Google.Protobuf;
using MLNetExt.Core.Onnx.Protobuf;
using MLNetExt.Core.Serialization;
using MLNetExt.Transforms.Persistence;

namespace MLNetExt.Transforms.Saving;

/// <summary>
/// Reads the MLNetExt ONNX graphs back out of an ML.NET model file. ML.NET stores an OnnxTransformer's graph in a
/// zip entry named <c>…/OnnxModel</c>: a little-endian int32 byte count, then the ONNX <c>ModelProto</c>. Ours carry
/// the native state in their metadata (<see cref="NativeStateInOnnx"/>).
/// </summary>
/// <remarks>
/// Every size read from the file is checked before it is used: the number of entries, each entry's length (as the
/// zip declares it and as it inflates), and the int32 count against the entry. Nothing a file names is ever
/// executed or instantiated: the kind selects one of a fixed list of loaders.
/// </remarks>
internal static class NativeModelFile
{
    /// <summary>The most zip entries a model file may have.</summary>
    public const int MaximumEntries = 100_000;

    /// <summary>The largest OnnxModel entry read (just under 2 GiB, the limit of a .NET array and of a protobuf message).</summary>
    public const long MaximumGraphBytes = int.MaxValue - 64;

    private const string OnnxEntrySuffix = "/OnnxModel";

    /// <summary>The MLNetExt graphs in the model file at <paramref name="path"/>, in the order of their zip entries (the pipeline's order).</summary>
    /// <exception cref="FileNotFoundException">There is no such file.</exception>
    /// <exception cref="InvalidDataException">The file is not a zip, or an OnnxModel entry is truncated or not an ONNX model; the message names the file and entry.</exception>
    public static IReadOnlyList<(string EntryName, ModelProto Model)> ReadGraphs(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (!File.Exists(path))
            throw new FileNotFoundException($"The model file '{path}' does not exist.", path);
        ZipArchive archive;
        var stream = File.OpenRead(path);
        try
        {
            archive = new ZipArchive(stream, ZipArchiveMode.Read, leaveOpen: false);
        }
        catch (InvalidDataException e)
        {
            stream.Dispose();
            throw new InvalidDataException($"{path}: not an ML.NET model file (not a zip archive: {e.Message})", e);
        }
        using (archive)
        {
            if (archive.Entries.Count > MaximumEntries)
                throw new InvalidDataException($"{path}: the zip has {archive.Entries.Count} entries, more than the {MaximumEntries} a model file may have.");
            var graphs = new List<(string, ModelProto)>();
            foreach (var entry in archive.Entries.Where(e => e.FullName.EndsWith(OnnxEntrySuffix, StringComparison.Ordinal)).OrderBy(e => e.FullName, StringComparer.Ordinal))
            {
                var model = ReadGraph(path, entry);
                if (model.MetadataProps.Any(p => p.Key == NativeStateInOnnx.StateKey))
                    graphs.Add((entry.FullName, model));
            }
            return graphs;
        }
    }

    /// <summary>The native state in <paramref name="model"/>'s metadata and, for the tensors it lists, initializers.</summary>
    public static NativeModelState StateOf(ModelProto model, string source)
    {
        string? document = null, tensors = null, initializers = null;
        foreach (var property in model.MetadataProps)
        {
            if (property.Key == NativeStateInOnnx.StateKey)
                document = property.Value;
            else if (property.Key == NativeStateInOnnx.TensorsKey)
                tensors = property.Value;
            else if (property.Key == NativeStateInOnnx.InitializersKey)
                initializers = property.Value;
        }
        if (document is null)
            throw new InvalidDataException($"{source}: the ONNX graph holds no MLNetExt state ('{NativeStateInOnnx.StateKey}').");
        var state = new Dictionary<string, Core.Tensor>(StringComparer.Ordinal);
        if (tensors is not null)
        {
            byte[] bytes;
            try
            {
                bytes = Convert.FromBase64String(tensors);
            }
            catch (FormatException e)
            {
                throw new InvalidDataException($"{source}: the MLNetExt tensors ('{NativeStateInOnnx.TensorsKey}') are not base64 ({e.Message}).", e);
            }
            using var stream = new MemoryStream(bytes, writable: false);
            foreach (var (name, tensor) in SafeTensors.Load(stream, source).Tensors)
                state[name] = tensor;
        }
        foreach (string name in InitializerNames(initializers, source))
        {
            var initializer = model.Graph?.Initializer.FirstOrDefault(i => i.Name == name)
                ?? throw new InvalidDataException($"{source}: the MLNetExt state names initializer '{name}', which the graph lacks.");
            state[name] = Core.Onnx.OnnxTensorReader.ToFloatTensor(initializer)
                ?? throw new InvalidDataException($"{source}: initializer '{name}' is not a float tensor whose data matches its shape.");
        }
        return new NativeModelState(document, state);
    }

    private static string[] InitializerNames(string? json, string source)
    {
        if (json is null)
            return [];
        try
        {
            return System.Text.Json.JsonSerializer.Deserialize<string[]>(json) is { } names && names.All(n => !string.IsNullOrEmpty(n))
                ? names
                : throw new InvalidDataException($"{source}: the MLNetExt initializer list ('{NativeStateInOnnx.InitializersKey}') holds an empty name.");
        }
        catch (System.Text.Json.JsonException e)
        {
            throw new InvalidDataException($"{source}: the MLNetExt initializer list ('{NativeStateInOnnx.InitializersKey}') is not a JSON list of names ({e.Message}).", e);
        }
    }

    private static ModelProto ReadGraph(string path, ZipArchiveEntry entry)
    {
        string where = $"{path}, entry '{entry.FullName}'";
        if (entry.Length < 4 || entry.Length > MaximumGraphBytes)
            throw new InvalidDataException($"{where}: {entry.Length} bytes is not the size of an ONNX graph entry.");
        var content = new byte[entry.Length];
        using (var input = entry.Open())
        {
            int read = input.ReadAtLeast(content, content.Length, throwOnEndOfStream: false);
            if (read != content.Length || input.ReadByte() != -1)
                throw new InvalidDataException($"{where}: the entry does not inflate to the {entry.Length} bytes its header declares.");
        }
        int count = BinaryPrimitives.ReadInt32LittleEndian(content);
        if (count < 0 || count != content.Length - 4)
            throw new InvalidDataException($"{where}: it declares {count} bytes of ONNX graph but holds {content.Length - 4}.");
        try
        {
            return ModelProto.Parser.ParseFrom(content, 4, count);
        }
        catch (InvalidProtocolBufferException e)
        {
            throw new InvalidDataException($"{where}: not an ONNX model ({e.Message}).", e);
        }
    }
}
