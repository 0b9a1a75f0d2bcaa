using System.Buffers;
using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;

namespace MLNetExt.Core.Serialization;

/// <summary>
/// Reads and writes the safetensors format: an 8-byte little-endian header length N, N bytes of UTF-8 JSON
/// <c>{name: {"dtype", "shape", "data_offsets": [begin, end]}, "__metadata__": {str: str}}</c>, then the raw
/// little-endian tensor data, offsets counted from the start of the data section.
/// </summary>
/// <remarks>
/// <para>Writing produces F32 tensors, packed in the given order, with the header padded by spaces to a multiple of
/// 8 bytes; the file is replaced atomically (temporary file, flush, rename).</para>
/// <para>Reading accepts F32, F16, BF16 and F64 (converted to float32) and checks the whole header before
/// allocating any tensor: the header length against the file and a 100 MB cap, the JSON, every dtype, shape and
/// offset pair, and that the tensors tile the data section exactly, with no gap or overlap. Anything wrong raises an
/// <see cref="InvalidDataException"/> naming the file and the problem. Nothing read is ever executed or used to
/// choose a type.</para>
/// </remarks>
public static class SafeTensors
{
    /// <summary>The largest header accepted, in bytes.</summary>
    public const long MaxHeaderBytes = 100L * 1024 * 1024;

    private const string MetadataKey = "__metadata__";

    /// <summary>Writes <paramref name="tensors"/> (as F32, in the given order) and <paramref name="metadata"/> to <paramref name="path"/>, atomically.</summary>
    /// <exception cref="ArgumentException">A name is empty, repeated or reserved (<c>__metadata__</c>), or a tensor is null.</exception>
    public static void Save(string path, IEnumerable<KeyValuePair<string, Tensor>> tensors, IReadOnlyDictionary<string, string>? metadata = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var (entries, header) = Prepare(tensors, metadata);
        AtomicFile.Write(path, stream => WriteAll(stream, entries, header));
    }

    /// <summary>
    /// Writes <paramref name="tensors"/> (as F32, in the given order) and <paramref name="metadata"/> to
    /// <paramref name="stream"/> at its current position. Nothing is written when the arguments are invalid.
    /// </summary>
    /// <exception cref="ArgumentException">A name is empty, repeated or reserved (<c>__metadata__</c>), or a tensor is null.</exception>
    public static void Save(Stream stream, IEnumerable<KeyValuePair<string, Tensor>> tensors, IReadOnlyDictionary<string, string>? metadata = null)
    {
        ArgumentNullException.ThrowIfNull(stream);
        var (entries, header) = Prepare(tensors, metadata);
        WriteAll(stream, entries, header);
    }

    private static (KeyValuePair<string, Tensor>[] Entries, byte[] Header) Prepare(
        IEnumerable<KeyValuePair<string, Tensor>> tensors, IReadOnlyDictionary<string, string>? metadata)
    {
        ArgumentNullException.ThrowIfNull(tensors);
        var entries = tensors.ToArray();
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (name, tensor) in entries)
        {
            if (string.IsNullOrEmpty(name)) throw new ArgumentException("A tensor name is null or empty.", nameof(tensors));
            if (name == MetadataKey) throw new ArgumentException($"'{MetadataKey}' is reserved and cannot name a tensor.", nameof(tensors));
            if (!names.Add(name)) throw new ArgumentException($"The tensor name '{name}' appears more than once.", nameof(tensors));
            if (tensor is null) throw new ArgumentException($"The tensor '{name}' is null.", nameof(tensors));
        }
        return (entries, BuildHeader(entries, metadata));
    }

    private static void WriteAll(Stream stream, KeyValuePair<string, Tensor>[] entries, byte[] header)
    {
        Span<byte> length = stackalloc byte[8];
        BinaryPrimitives.WriteUInt64LittleEndian(length, (ulong)header.Length);
        stream.Write(length);
        stream.Write(header);
        foreach (var (_, tensor) in entries) WriteFloat32(stream, tensor.Span);
    }

    /// <summary>Reads every tensor and the metadata of the safetensors file at <paramref name="path"/>.</summary>
    /// <exception cref="InvalidDataException">The file is malformed or is a directory; the message names the file and the problem.</exception>
    /// <exception cref="IOException">The file cannot be read (permissions); the message names it.</exception>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    public static SafeTensorsFile Load(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        if (Directory.Exists(path))
            throw Invalid(path, "it is a directory, not a safetensors file");
        FileStream stream;
        try
        {
            stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1 << 16);
        }
        catch (UnauthorizedAccessException e)
        {
            throw new IOException($"{path}: the file cannot be read ({e.Message})", e);
        }
        using (stream)
            return Load(stream, path);
    }

    /// <summary>
    /// Reads every tensor and the metadata of the safetensors data from the current position of
    /// <paramref name="stream"/> to its end; errors name <paramref name="sourceName"/> (a file or archive entry).
    /// </summary>
    /// <exception cref="InvalidDataException">The data is malformed; the message names the source and the problem.</exception>
    /// <exception cref="ArgumentException">The stream cannot seek, so its length cannot be checked before reading.</exception>
    public static SafeTensorsFile Load(Stream stream, string sourceName)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentException.ThrowIfNullOrWhiteSpace(sourceName);
        if (!stream.CanSeek) throw new ArgumentException("Reading safetensors needs a seekable stream, so that every size can be checked against its length first.", nameof(stream));
        string path = sourceName;
        long fileLength = stream.Length - stream.Position;
        if (fileLength < 8)
            throw Invalid(path, $"the file is {fileLength} bytes long, too short for the 8-byte header length");

        Span<byte> lengthBytes = stackalloc byte[8];
        stream.ReadExactly(lengthBytes);
        ulong headerLength = BinaryPrimitives.ReadUInt64LittleEndian(lengthBytes);
        if (headerLength > (ulong)MaxHeaderBytes)
            throw Invalid(path, $"the header length {headerLength} exceeds the {MaxHeaderBytes}-byte limit");
        if (headerLength > (ulong)(fileLength - 8))
            throw Invalid(path, $"the header length {headerLength} exceeds the {fileLength - 8} bytes that follow it");
        if (headerLength < 2)
            throw Invalid(path, $"the header length {headerLength} is too small to hold a JSON object");

        var header = new byte[headerLength];
        stream.ReadExactly(header);
        long dataLength = fileLength - 8 - (long)headerLength;
        var (entries, metadata) = ParseHeader(path, header, dataLength);

        var tensors = new Dictionary<string, Tensor>(entries.Count, StringComparer.Ordinal);
        var names = new string[entries.Count];
        byte[] conversionBuffer = ArrayPool<byte>.Shared.Rent(1 << 16);
        try
        {
            for (int i = 0; i < entries.Count; i++)
            {
                var entry = entries[i];
                var tensor = new Tensor(entry.Shape);
                ReadTensorData(path, stream, entry.DType, tensor.Span, conversionBuffer);
                tensors.Add(entry.Name, tensor);
                names[i] = entry.Name;
            }
        }
        catch (EndOfStreamException)
        {
            throw Invalid(path, "the file ended before all tensor data was read (it is truncated or changed while being read)");
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(conversionBuffer);
        }
        return new SafeTensorsFile(names, tensors, metadata);
    }

    private sealed record HeaderEntry(string Name, string DType, int[] Shape, long Begin, long End);

    private static byte[] BuildHeader(KeyValuePair<string, Tensor>[] entries, IReadOnlyDictionary<string, string>? metadata)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            if (metadata is { Count: > 0 })
            {
                writer.WriteStartObject(MetadataKey);
                foreach (var (key, value) in metadata)
                {
                    ArgumentNullException.ThrowIfNull(value, nameof(metadata));
                    writer.WriteString(key, value);
                }
                writer.WriteEndObject();
            }
            long offset = 0;
            foreach (var (name, tensor) in entries)
            {
                writer.WriteStartObject(name);
                writer.WriteString("dtype", SafeTensorsDType.Float32);
                writer.WriteStartArray("shape");
                foreach (int d in tensor.Shape) writer.WriteNumberValue(d);
                writer.WriteEndArray();
                writer.WriteStartArray("data_offsets");
                writer.WriteNumberValue(offset);
                offset += (long)tensor.Length * sizeof(float);
                writer.WriteNumberValue(offset);
                writer.WriteEndArray();
                writer.WriteEndObject();
            }
            writer.WriteEndObject();
        }
        // Padding to 8 bytes keeps the data section aligned for readers that map the file.
        int padded = (buffer.WrittenCount + 7) / 8 * 8;
        var header = new byte[padded];
        buffer.WrittenSpan.CopyTo(header);
        header.AsSpan(buffer.WrittenCount).Fill((byte)' ');
        return header;
    }

    private static (List<HeaderEntry> Entries, Dictionary<string, string> Metadata) ParseHeader(string path, byte[] header, long dataLength)
    {
        if (header[0] != (byte)'{')
            throw Invalid(path, "the header does not start with '{'");
        // Checked up front: the JSON reader accepts invalid UTF-8 inside strings and fails only when they are read.
        if (!System.Text.Unicode.Utf8.IsValid(header))
            throw Invalid(path, "the header is not valid UTF-8");
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(header, new JsonDocumentOptions { MaxDepth = 8 });
        }
        catch (JsonException e)
        {
            throw Invalid(path, $"the header is not valid JSON ({e.Message})");
        }
        catch (ArgumentException e)
        {
            throw Invalid(path, $"the header is not valid UTF-8 JSON ({e.Message})");
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
                throw Invalid(path, "the header is not a JSON object");
            var entries = new List<HeaderEntry>();
            var metadata = new Dictionary<string, string>(StringComparer.Ordinal);
            var seen = new HashSet<string>(StringComparer.Ordinal);
            foreach (var property in root.EnumerateObject())
            {
                if (!seen.Add(property.Name))
                    throw Invalid(path, $"the name '{property.Name}' appears more than once in the header");
                if (property.Name == MetadataKey)
                    ParseMetadata(path, property.Value, metadata);
                else
                    entries.Add(ParseEntry(path, property.Name, property.Value, dataLength));
            }
            CheckTiling(path, entries, dataLength);
            return (entries, metadata);
        }
    }

    private static void ParseMetadata(string path, JsonElement value, Dictionary<string, string> metadata)
    {
        if (value.ValueKind != JsonValueKind.Object)
            throw Invalid(path, $"'{MetadataKey}' is not a JSON object of strings");
        foreach (var item in value.EnumerateObject())
        {
            if (item.Value.ValueKind != JsonValueKind.String)
                throw Invalid(path, $"metadata entry '{item.Name}' is not a string");
            if (!metadata.TryAdd(item.Name, item.Value.GetString()!))
                throw Invalid(path, $"metadata entry '{item.Name}' appears more than once");
        }
    }

    private static HeaderEntry ParseEntry(string path, string name, JsonElement value, long dataLength)
    {
        if (value.ValueKind != JsonValueKind.Object)
            throw Invalid(path, $"tensor '{name}': the entry is not a JSON object");
        string? dtype = null;
        JsonElement? shapeElement = null, offsetsElement = null;
        foreach (var field in value.EnumerateObject())
        {
            switch (field.Name)
            {
                case "dtype" when dtype is null && field.Value.ValueKind == JsonValueKind.String:
                    dtype = field.Value.GetString()!;
                    break;
                case "shape" when shapeElement is null:
                    shapeElement = field.Value;
                    break;
                case "data_offsets" when offsetsElement is null:
                    offsetsElement = field.Value;
                    break;
                default:
                    throw Invalid(path, $"tensor '{name}': unexpected, repeated or mistyped field '{field.Name}'");
            }
        }
        if (dtype is null || shapeElement is null || offsetsElement is null)
            throw Invalid(path, $"tensor '{name}': the entry needs \"dtype\", \"shape\" and \"data_offsets\"");
        if (!SafeTensorsDType.TryGetSize(dtype, out int elementSize))
            throw Invalid(path, $"tensor '{name}': unknown dtype '{dtype}'");
        if (!SafeTensorsDType.IsReadable(dtype))
            throw Invalid(path, $"tensor '{name}': dtype '{dtype}' cannot be read as float (readable: {SafeTensorsDType.Readable})");

        var shape = ParseShape(path, name, shapeElement.Value, out long elementCount);
        var (begin, end) = ParseOffsets(path, name, offsetsElement.Value);
        if (end > dataLength)
            throw Invalid(path, $"tensor '{name}': data_offsets [{begin}, {end}] run past the {dataLength}-byte data section");
        // elementCount ≤ Array.MaxLength, so the product cannot overflow a long.
        long byteCount = elementCount * elementSize;
        if (end - begin != byteCount)
            throw Invalid(path, $"tensor '{name}': shape [{string.Join(", ", shape)}] of {dtype} needs {byteCount} bytes but data_offsets [{begin}, {end}] span {end - begin}");
        return new HeaderEntry(name, dtype, shape, begin, end);
    }

    private static int[] ParseShape(string path, string name, JsonElement value, out long elementCount)
    {
        if (value.ValueKind != JsonValueKind.Array)
            throw Invalid(path, $"tensor '{name}': \"shape\" is not an array");
        var shape = new int[value.GetArrayLength()];
        elementCount = 1;
        int axis = 0;
        foreach (var item in value.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.Number || !item.TryGetInt64(out long d))
                throw Invalid(path, $"tensor '{name}': shape dimension {axis} is not an integer");
            if (d < 0)
                throw Invalid(path, $"tensor '{name}': shape dimension {axis} is negative ({d})");
            if (d > Array.MaxLength)
                throw Invalid(path, $"tensor '{name}': shape dimension {axis} ({d}) is too large");
            shape[axis++] = (int)d;
            elementCount *= d;
            if (elementCount > Array.MaxLength)
                throw Invalid(path, $"tensor '{name}': the shape holds more elements than a tensor can");
        }
        return shape;
    }

    private static (long Begin, long End) ParseOffsets(string path, string name, JsonElement value)
    {
        if (value.ValueKind != JsonValueKind.Array || value.GetArrayLength() != 2)
            throw Invalid(path, $"tensor '{name}': \"data_offsets\" is not an array of two integers");
        var begin = value[0];
        var end = value[1];
        if (begin.ValueKind != JsonValueKind.Number || !begin.TryGetInt64(out long b) ||
            end.ValueKind != JsonValueKind.Number || !end.TryGetInt64(out long e))
            throw Invalid(path, $"tensor '{name}': \"data_offsets\" are not integers");
        if (b < 0 || e < b)
            throw Invalid(path, $"tensor '{name}': data_offsets [{b}, {e}] are negative or reversed");
        return (b, e);
    }

    private static void CheckTiling(string path, List<HeaderEntry> entries, long dataLength)
    {
        entries.Sort((x, y) => x.Begin != y.Begin ? x.Begin.CompareTo(y.Begin) : x.End.CompareTo(y.End));
        long expected = 0;
        foreach (var entry in entries)
        {
            if (entry.Begin < expected)
                throw Invalid(path, $"tensor '{entry.Name}': data_offsets [{entry.Begin}, {entry.End}] overlap the previous tensor, which ends at {expected}");
            if (entry.Begin > expected)
                throw Invalid(path, $"tensor '{entry.Name}': data_offsets [{entry.Begin}, {entry.End}] leave a gap after byte {expected}");
            expected = entry.End;
        }
        if (expected != dataLength)
            throw Invalid(path, $"the tensors cover {expected} bytes but the data section holds {dataLength}");
    }

    private static void ReadTensorData(string path, Stream stream, string dtype, Span<float> destination, byte[] buffer)
    {
        if (dtype == SafeTensorsDType.Float32)
        {
            stream.ReadExactly(MemoryMarshal.AsBytes(destination));
            if (!BitConverter.IsLittleEndian)
            {
                var bits = MemoryMarshal.Cast<float, uint>(destination);
                BinaryPrimitives.ReverseEndianness(bits, bits);
            }
            return;
        }

        int elementSize = dtype == "F64" ? 8 : 2;
        int perChunk = buffer.Length / elementSize;
        for (int start = 0; start < destination.Length; start += perChunk)
        {
            int count = Math.Min(perChunk, destination.Length - start);
            var bytes = buffer.AsSpan(0, count * elementSize);
            stream.ReadExactly(bytes);
            var target = destination.Slice(start, count);
            switch (dtype)
            {
                case "F16":
                    for (int i = 0; i < count; i++)
                        target[i] = (float)BitConverter.UInt16BitsToHalf(BinaryPrimitives.ReadUInt16LittleEndian(bytes[(2 * i)..]));
                    break;
                case "BF16":
                    for (int i = 0; i < count; i++)
                        target[i] = BitConverter.UInt32BitsToSingle((uint)BinaryPrimitives.ReadUInt16LittleEndian(bytes[(2 * i)..]) << 16);
                    break;
                case "F64":
                    for (int i = 0; i < count; i++)
                        target[i] = (float)BinaryPrimitives.ReadDoubleLittleEndian(bytes[(8 * i)..]);
                    break;
                default:
                    throw Invalid(path, $"dtype '{dtype}' cannot be read as float");
            }
        }
    }

    private static void WriteFloat32(Stream stream, ReadOnlySpan<float> values)
    {
        if (BitConverter.IsLittleEndian)
        {
            stream.Write(MemoryMarshal.AsBytes(values));
            return;
        }
        Span<byte> element = stackalloc byte[4];
        foreach (float v in values)
        {
            BinaryPrimitives.WriteSingleLittleEndian(element, v);
            stream.Write(element);
        }
    }

    private static InvalidDataException Invalid(string path, string problem) =>
        new($"'{path}' is not a valid safetensors file: {problem}.");
}
