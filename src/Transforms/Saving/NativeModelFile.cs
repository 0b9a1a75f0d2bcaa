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
/// <para>Every size read from the file is checked before it is used, and every read is bounded: the zip may have at
/// most <see cref="MaximumEntries"/> entries; the entries read may inflate, together, to at most
/// <see cref="InflationRatio"/> times the file's length plus <see cref="InflationAllowance"/> (a zip bomb is refused
/// before its first byte is inflated when its header declares its size, and after at most the size it declares
/// when it lies); each entry must inflate to exactly the size its header declares, counted on the bytes actually
/// inflated, and pass its CRC; the int32 count must match the entry. <see cref="CheckArchive"/> applies the same rules
/// to every entry, for callers that hand the file to ML.NET's own loader afterwards.</para>
/// <para>Nothing a file names is ever executed or instantiated: the kind selects one of a fixed list of loaders.
/// Every error is an <see cref="InvalidDataException"/> that names the file and, where there is one, the entry.</para>
/// </remarks>
internal static class NativeModelFile
{
    /// <summary>The most zip entries a model file may have (ML.NET writes a few dozen).</summary>
    public const int MaximumEntries = 10_000;

    /// <summary>The entries read may inflate to at most this many times the file's length (plus <see cref="InflationAllowance"/>).</summary>
    public const int InflationRatio = 4;

    /// <summary>Inflated bytes allowed beyond <see cref="InflationRatio"/> times the file's length, so that small files (which compress well) always load.</summary>
    public const long InflationAllowance = 8L << 20;

    /// <summary>The largest entry read (just under 2 GiB, the limit of a .NET array and of a protobuf message).</summary>
    public const long MaximumEntryBytes = int.MaxValue - 64;

    private const string OnnxEntrySuffix = "/OnnxModel";

    /// <summary>The MLNetExt graphs in the model file at <paramref name="path"/>, in the order of their zip entries (the pipeline's order).</summary>
    /// <exception cref="FileNotFoundException">There is no such file.</exception>
    /// <exception cref="InvalidDataException">The file is not a zip, breaks a limit, or an OnnxModel entry is truncated or not an ONNX model; the message names the file and entry.</exception>
    public static IReadOnlyList<(string EntryName, ModelProto Model)> ReadGraphs(string path)
    {
        using var archive = Open(path, out var budget);
        var graphs = new List<(string, ModelProto)>();
        foreach (var entry in archive.Entries.Where(e => e.FullName.EndsWith(OnnxEntrySuffix, StringComparison.Ordinal)).OrderBy(e => e.FullName, StringComparer.Ordinal))
        {
            var model = ReadGraph(path, entry, budget);
            if (model.MetadataProps.Any(p => p.Key == NativeStateInOnnx.StateKey))
                graphs.Add((entry.FullName, model));
        }
        return graphs;
    }

    /// <summary>
    /// Checks the whole zip at <paramref name="path"/> by the rules of this class (entry count, every entry inflating
    /// to exactly its declared size within the file's inflation budget) without keeping what it inflates: what a caller
    /// does before handing the file to a loader that trusts its sizes (ML.NET's <c>Model.Load</c>). It allocates next
    /// to nothing, so that the file costs what the loader makes of it and no more.
    /// </summary>
    /// <exception cref="FileNotFoundException">There is no such file.</exception>
    /// <exception cref="InvalidDataException">The file is not a zip or breaks a limit; the message names the file and entry.</exception>
    public static void CheckArchive(string path)
    {
        using var archive = Open(path, out var budget);
        var scratch = new byte[64 * 1024];
        foreach (var entry in archive.Entries)
        {
            var loader = new LoaderAssemblyProbe(Where(path, entry), entry.Length);
            ReadEntry(path, entry, budget, scratch, loader.Observe);
            loader.Check();
        }
    }

    /// <summary>"ML\0MODEL" little-endian: the first 8 bytes of the header ML.NET writes at the start of each model entry.</summary>
    private const ulong ModelHeaderSignature = 0x4C45444F4D004C4DUL;

    /// <summary>The size of ML.NET's model entry header.</summary>
    private const int ModelHeaderBytes = 0x100;

    /// <summary>The longest loader assembly name accepted, in bytes of UTF-16.</summary>
    private const int MaximumAssemblyNameBytes = 2048;

    /// <summary>
    /// ML.NET's loader loads the assembly each model entry names (its header's loader assembly name, UTF-16, at the
    /// offset the header gives) before it looks for the entry's loader there. A hostile file could name any assembly
    /// the process can find, so an entry naming one outside ML.NET (<c>Microsoft.ML</c> and <c>Microsoft.ML.*</c>) is
    /// refused before ML.NET sees the file. The probe watches the bytes <see cref="CheckArchive"/> inflates anyway, so
    /// no entry is read twice; entries without ML.NET's header (ONNX bytes, text) are left alone.
    /// </summary>
    private sealed class LoaderAssemblyProbe(string where, long entryLength)
    {
        private readonly byte[] _header = new byte[ModelHeaderBytes];
        private byte[]? _name;
        private long _nameOffset = -1;
        private bool _notModel;

        /// <summary>Takes the entry's bytes at <paramref name="position"/>, in order.</summary>
        public void Observe(long position, ReadOnlySpan<byte> chunk)
        {
            if (_notModel || entryLength < ModelHeaderBytes)
                return;
            if (position < ModelHeaderBytes)
            {
                var part = chunk[..(int)Math.Min(chunk.Length, ModelHeaderBytes - position)];
                part.CopyTo(_header.AsSpan((int)position));
                if (position + part.Length == ModelHeaderBytes)
                    ReadHeader();
            }
            if (_name is null || _nameOffset < 0)
                return;
            long from = Math.Max(position, _nameOffset), to = Math.Min(position + chunk.Length, _nameOffset + _name.Length);
            if (from < to)
                chunk[(int)(from - position)..(int)(to - position)].CopyTo(_name.AsSpan((int)(from - _nameOffset)));
        }

        private void ReadHeader()
        {
            if (BinaryPrimitives.ReadUInt64LittleEndian(_header) != ModelHeaderSignature)
            {
                _notModel = true;
                return;
            }
            long offset = BinaryPrimitives.ReadInt64LittleEndian(_header.AsSpan(0x90));
            uint length = BinaryPrimitives.ReadUInt32LittleEndian(_header.AsSpan(0x98));
            if (length == 0)
                return;
            if (offset < ModelHeaderBytes || length > MaximumAssemblyNameBytes || length % 2 != 0 || offset > entryLength - length)
                throw new EntryException($"its ML.NET header places the loader assembly name ({length} bytes at offset {offset}) outside the entry or beyond {MaximumAssemblyNameBytes} bytes");
            _nameOffset = offset;
            _name = new byte[length];
        }

        /// <summary>After the whole entry was observed: refuses a loader assembly outside ML.NET.</summary>
        public void Check()
        {
            if (_name is null)
                return;
            string name = System.Text.Encoding.Unicode.GetString(_name);
            string? simpleName;
            try
            {
                simpleName = new System.Reflection.AssemblyName(name).Name;
            }
            catch (Exception e) when (e is ArgumentException or FileLoadException)
            {
                throw new InvalidDataException($"{where}: its ML.NET header names the loader assembly '{name}', which is not an assembly name.", e);
            }
            bool partOfMLNet = simpleName == "Microsoft.ML" || simpleName?.StartsWith("Microsoft.ML.", StringComparison.Ordinal) == true;
            if (!partOfMLNet)
                throw new InvalidDataException($"{where}: it asks ML.NET to load the assembly '{name}', which is not part of ML.NET; the file is not loaded.");
        }
    }

    /// <summary>The native state in <paramref name="model"/>'s metadata and, for the tensors it lists, initializers.</summary>
    public static NativeModelState StateOf(ModelProto model, string source)
    {
        string? document = null, tensors = null, initializers = null;
        foreach (var property in model.MetadataProps)
        {
            switch (property.Key)
            {
                case NativeStateInOnnx.StateKey:
                    document = Once(document, property);
                    break;
                case NativeStateInOnnx.TensorsKey:
                    tensors = Once(tensors, property);
                    break;
                case NativeStateInOnnx.InitializersKey:
                    initializers = Once(initializers, property);
                    break;
            }
        }
        string Once(string? earlier, StringStringEntryProto property) => earlier is null
            ? property.Value
            : throw new InvalidDataException($"{source}: the ONNX graph's metadata holds '{property.Key}' twice.");
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
        var names = InitializerNames(initializers, source);
        if (names.Length > 0)
        {
            // First of each name, as ONNX Runtime resolves them; a dictionary keeps a long list linear.
            var byName = new Dictionary<string, TensorProto>(StringComparer.Ordinal);
            foreach (var initializer in model.Graph?.Initializer ?? [])
                byName.TryAdd(initializer.Name, initializer);
            foreach (string name in names)
            {
                var initializer = byName.GetValueOrDefault(name)
                    ?? throw new InvalidDataException($"{source}: the MLNetExt state names initializer '{name}', which the graph lacks.");
                if (state.ContainsKey(name))
                    throw new InvalidDataException($"{source}: the MLNetExt state holds tensor '{name}' twice.");
                state[name] = Core.Onnx.OnnxTensorReader.ToFloatTensor(initializer)
                    ?? throw new InvalidDataException($"{source}: initializer '{name}' is not a float tensor whose data matches its shape.");
            }
        }
        foreach (var (name, tensor) in state)
        {
            // A trained network's weights are finite (training stops on a NaN or infinite loss and restores the best
            // weights), so a NaN or infinity is damage: refused rather than left to score NaN on every row.
            int bad = FirstNonFinite(tensor.Span);
            if (bad >= 0)
                throw new InvalidDataException($"{source}: tensor '{name}' holds {tensor.Span[bad]} at index {bad}; a saved model's weights must be finite numbers.");
        }
        return new NativeModelState(document, state);
    }

    private static int FirstNonFinite(ReadOnlySpan<float> values)
    {
        for (int i = 0; i < values.Length; i++)
        {
            if (!float.IsFinite(values[i]))
                return i;
        }
        return -1;
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

    /// <summary>How many inflated bytes the entries read from a file may still take.</summary>
    private sealed class InflationBudget(string path, long fileLength)
    {
        public long Limit { get; } = Math.Min((long)InflationRatio * fileLength + InflationAllowance, long.MaxValue / 2);

        public long Used { get; private set; }

        /// <summary>Takes <paramref name="bytes"/> for <paramref name="entry"/>, or refuses the file.</summary>
        public void Take(ZipArchiveEntry entry, long bytes)
        {
            if (bytes > Limit - Used)
                throw new InvalidDataException($"{Where(path, entry)}: it inflates to {bytes:N0} bytes, which with the {Used:N0} of the entries before it is more than "
                    + $"the {Limit:N0} a {fileLength:N0}-byte model file may inflate to ({InflationRatio}× its size + {InflationAllowance >> 20} MiB): refused as a zip bomb.");
            Used += bytes;
        }
    }

    private static ZipArchive Open(string path, out InflationBudget budget)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (Directory.Exists(path))
            throw new InvalidDataException($"{path}: is a directory, not an ML.NET model file.");
        if (!File.Exists(path))
            throw new FileNotFoundException($"The model file '{path}' does not exist.", path);
        FileStream? stream = null;
        ZipArchive? archive = null;
        int count;
        try
        {
            stream = File.OpenRead(path);
            budget = new InflationBudget(path, stream.Length);
            archive = new ZipArchive(stream, ZipArchiveMode.Read, leaveOpen: false);
            // Reads the central directory, whose declared counts and offsets .NET checks against the entries there.
            count = archive.Entries.Count;
        }
        catch (Exception e) when (e is IOException or InvalidDataException or NotSupportedException or ArgumentException or InvalidOperationException
            or OverflowException or IndexOutOfRangeException or UnauthorizedAccessException)
        {
            archive?.Dispose();
            stream?.Dispose();
            throw new InvalidDataException($"{path}: not an ML.NET model file (not a readable zip archive: {e.Message})", e);
        }
        if (count > MaximumEntries)
        {
            archive.Dispose();
            throw new InvalidDataException($"{path}: the zip has {count:N0} entries, more than the {MaximumEntries:N0} a model file may have.");
        }
        return archive;
    }

    private static string Where(string path, ZipArchiveEntry entry) => $"{path}, entry '{entry.FullName}'";

    /// <summary>
    /// Inflates <paramref name="entry"/> into a new array (<paramref name="scratch"/> null) or through
    /// <paramref name="scratch"/>, counting the bytes actually inflated: the entry must inflate to exactly the size its
    /// header declares, within <paramref name="budget"/>; its CRC is checked at its end.
    /// </summary>
    private static byte[]? ReadEntry(string path, ZipArchiveEntry entry, InflationBudget budget, byte[]? scratch, ChunkObserver? observe = null)
    {
        string where = Where(path, entry);
        long declared = entry.Length;
        if (declared < 0 || declared > MaximumEntryBytes)
            throw new InvalidDataException($"{where}: its header declares {declared:N0} bytes, more than the {MaximumEntryBytes:N0} an entry may hold.");
        // Refused before a byte is inflated; a header that understates is caught below, after at most 'declared' bytes.
        budget.Take(entry, declared);
        var content = scratch is null ? new byte[declared] : null;
        try
        {
            using var input = entry.Open();
            long total = 0;
            while (total < declared)
            {
                int read = content is not null
                    ? input.Read(content, (int)total, (int)(declared - total))
                    : input.Read(scratch!, 0, (int)Math.Min(scratch!.Length, declared - total));
                if (read == 0)
                    throw new EntryException($"it inflates to {total:N0} bytes, not the {declared:N0} its header declares");
                observe?.Invoke(total, content is not null ? content.AsSpan((int)total, read) : scratch.AsSpan(0, read));
                total += read;
            }
            if (input.ReadByte() != -1)
                throw new EntryException($"it inflates to more than the {declared:N0} bytes its header declares");
        }
        catch (EntryException e)
        {
            throw new InvalidDataException($"{where}: {e.Message}.");
        }
        catch (Exception e) when (e is IOException or InvalidDataException or NotSupportedException or ArgumentException or InvalidOperationException or OverflowException or IndexOutOfRangeException)
        {
            throw new InvalidDataException($"{where}: the entry cannot be inflated ({e.Message})", e);
        }
        return content;
    }

    private sealed class EntryException(string message) : Exception(message);

    /// <summary>Sees an entry's inflated bytes as they are read: the chunk that starts at <c>position</c>.</summary>
    private delegate void ChunkObserver(long position, ReadOnlySpan<byte> chunk);

    private static ModelProto ReadGraph(string path, ZipArchiveEntry entry, InflationBudget budget)
    {
        string where = Where(path, entry);
        if (entry.Length < 4)
            throw new InvalidDataException($"{where}: {entry.Length} bytes is not the size of an ONNX graph entry.");
        var content = ReadEntry(path, entry, budget, scratch: null)!;
        int count = BinaryPrimitives.ReadInt32LittleEndian(content);
        if (count < 0 || count != content.Length - 4)
            throw new InvalidDataException($"{where}: it declares {count} bytes of ONNX graph but holds {content.Length - 4}.");
        try
        {
            // The message is the entry (under 2 GiB, checked above); nesting is capped at protobuf's default recursion limit.
            return ModelProto.Parser.ParseFrom(content, 4, count);
        }
        catch (Exception e) when (e is InvalidProtocolBufferException or ArgumentException or InvalidOperationException)
        {
            throw new InvalidDataException($"{where}: its ONNX graph cannot be read ({e.Message}).", e);
        }
    }
}
