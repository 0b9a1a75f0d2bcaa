using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;
using System.Text.Json.Nodes;
using Google.Protobuf;
using MLNetExt.Core.Onnx.Protobuf;
using MLNetExt.Estimators.Autoencoders;
using MLNetExt.Estimators.Sequence;
using MLNetExt.Trainers.Autoencoders;

namespace MLNetExt.Fuzz.Tests;

/// <summary>
/// Small valid ML.NET model files with MLNetExt parts (trained in one epoch, built once per test run), and the tools
/// to take them apart and put them back together: an OnnxModel entry's bytes, its ONNX graph, its MLNetExt state.
/// </summary>
internal static class ModelFiles
{
    /// <summary>The metadata key of the MLNetExt state (NativeStateInOnnx.StateKey).</summary>
    public const string StateKey = "mlnetext.state";

    private static readonly Lazy<IReadOnlyDictionary<string, byte[]>> All = new(Build);

    /// <summary>
    /// Each model's name and file bytes: "mlp" (multiclass, text label key values), "lstm" (token keys padded, then an
    /// LSTM: two MLNetExt graphs), "word-embedding" (word2vec vectors) and "autoencoder" (dense, standardized).
    /// </summary>
    public static IReadOnlyDictionary<string, byte[]> Valid => All.Value;

    /// <summary>The names of the OnnxModel entries of <paramref name="zip"/> that carry an MLNetExt state, in order.</summary>
    public static string[] GraphEntries(byte[] zip)
    {
        using var archive = new ZipArchive(new MemoryStream(zip), ZipArchiveMode.Read);
        return [.. archive.Entries.Select(e => e.FullName).Where(n => n.EndsWith("/OnnxModel", StringComparison.Ordinal)).Order(StringComparer.Ordinal)
            .Where(n => Graph(Entry(zip, n)).MetadataProps.Any(p => p.Key == StateKey))];
    }

    /// <summary>The bytes of entry <paramref name="name"/>.</summary>
    public static byte[] Entry(byte[] zip, string name)
    {
        using var archive = new ZipArchive(new MemoryStream(zip), ZipArchiveMode.Read);
        using var input = archive.GetEntry(name)!.Open();
        var output = new MemoryStream();
        input.CopyTo(output);
        return output.ToArray();
    }

    /// <summary>
    /// <paramref name="zip"/> with entry <paramref name="name"/> holding <paramref name="content"/> (added when absent),
    /// every other entry as it was; each entry's header and CRC match its new content.
    /// </summary>
    public static byte[] WithEntry(byte[] zip, string name, byte[] content) => Rezip(zip, (entry, bytes) => entry == name ? content : bytes, [name]);

    /// <summary><paramref name="zip"/> with each entry's content replaced by <paramref name="change"/>'s, and the <paramref name="added"/> entries (empty unless changed).</summary>
    public static byte[] Rezip(byte[] zip, Func<string, byte[], byte[]> change, IEnumerable<string>? added = null)
    {
        using var source = new ZipArchive(new MemoryStream(zip), ZipArchiveMode.Read);
        var names = source.Entries.Select(e => e.FullName).ToList();
        names.AddRange((added ?? []).Where(n => !names.Contains(n)));
        var output = new MemoryStream();
        using (var target = new ZipArchive(output, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (string name in names)
            {
                byte[] content = [];
                if (source.GetEntry(name) is { } entry)
                {
                    using var input = entry.Open();
                    var buffer = new MemoryStream();
                    input.CopyTo(buffer);
                    content = buffer.ToArray();
                }
                using var stream = target.CreateEntry(name, CompressionLevel.Fastest).Open();
                stream.Write(change(name, content));
            }
        }
        return output.ToArray();
    }

    /// <summary>The ONNX graph of an OnnxModel entry (an int32 byte count, then the ModelProto).</summary>
    public static ModelProto Graph(byte[] entry) => ModelProto.Parser.ParseFrom(entry.AsSpan(4));

    /// <summary>An OnnxModel entry holding <paramref name="graph"/>.</summary>
    public static byte[] EntryOf(ModelProto graph) => EntryOf(graph.ToByteArray());

    /// <summary>An OnnxModel entry holding the graph bytes <paramref name="graph"/>.</summary>
    public static byte[] EntryOf(byte[] graph)
    {
        var entry = new byte[4 + graph.Length];
        BinaryPrimitives.WriteInt32LittleEndian(entry, graph.Length);
        graph.CopyTo(entry, 4);
        return entry;
    }

    /// <summary>The MLNetExt state document of an OnnxModel entry, as its UTF-8 bytes.</summary>
    public static byte[] State(byte[] entry) => Encoding.UTF8.GetBytes(Graph(entry).MetadataProps.Single(p => p.Key == StateKey).Value);

    /// <summary>
    /// An OnnxModel entry as <paramref name="entry"/> with its state replaced by <paramref name="state"/>, written as
    /// raw bytes into the protobuf (so they need not be UTF-8): the graph without its state, then a metadata_props
    /// field appended (a repeated field's items may come in any order).
    /// </summary>
    public static byte[] WithState(byte[] entry, byte[] state)
    {
        var graph = Graph(entry);
        graph.MetadataProps.Remove(graph.MetadataProps.Single(p => p.Key == StateKey));
        var property = new MemoryStream();
        var writer = new CodedOutputStream(property);
        writer.WriteTag(StringStringEntryProto.KeyFieldNumber, WireFormat.WireType.LengthDelimited);
        writer.WriteString(StateKey);
        writer.WriteTag(StringStringEntryProto.ValueFieldNumber, WireFormat.WireType.LengthDelimited);
        writer.WriteBytes(ByteString.CopyFrom(state));
        writer.Flush();
        var bytes = new MemoryStream();
        graph.WriteTo(bytes);
        var tail = new CodedOutputStream(bytes);
        tail.WriteTag(ModelProto.MetadataPropsFieldNumber, WireFormat.WireType.LengthDelimited);
        tail.WriteBytes(ByteString.CopyFrom(property.ToArray()));
        tail.Flush();
        return EntryOf(bytes.ToArray());
    }

    /// <summary><paramref name="zip"/> with the state of its graph entry <paramref name="name"/> replaced by <paramref name="state"/>'s bytes.</summary>
    public static byte[] WithState(byte[] zip, string name, byte[] state) => WithEntry(zip, name, WithState(Entry(zip, name), state));

    /// <summary><paramref name="zip"/> with the state of its graph entry <paramref name="name"/> edited as text.</summary>
    public static byte[] WithStateText(byte[] zip, string name, Func<string, string> edit) =>
        WithState(zip, name, Encoding.UTF8.GetBytes(edit(Encoding.UTF8.GetString(State(Entry(zip, name))))));

    /// <summary>
    /// <paramref name="zip"/> with the state of its graph entry <paramref name="name"/> edited as a JSON object, then
    /// as text by <paramref name="then"/>.
    /// </summary>
    public static byte[] WithStateJson(byte[] zip, string name, Func<string, string> then, Action<JsonObject> edit) => WithStateText(zip, name, text =>
    {
        var document = JsonNode.Parse(text)!.AsObject();
        edit(document);
        return then(document.ToJsonString());
    });

    /// <summary><paramref name="zip"/> with the ONNX graph of entry <paramref name="name"/> edited.</summary>
    public static byte[] WithGraph(byte[] zip, string name, Action<ModelProto> edit)
    {
        var graph = Graph(Entry(zip, name));
        edit(graph);
        return WithEntry(zip, name, EntryOf(graph));
    }

    /// <summary>
    /// <paramref name="zip"/> with the sizes that the local header and the central directory declare for entry
    /// <paramref name="name"/> (inflated) set to <paramref name="size"/>, leaving its data as it is.
    /// </summary>
    public static byte[] WithDeclaredSize(byte[] zip, string name, uint size)
    {
        var bytes = (byte[])zip.Clone();
        int end = bytes.Length - 22;
        while (BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(end)) != 0x06054b50)
            end--;
        int record = (int)BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(end + 16));
        while (BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(record)) == 0x02014b50)
        {
            int nameLength = BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(record + 28));
            int extra = BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(record + 30));
            int comment = BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(record + 32));
            if (Encoding.UTF8.GetString(bytes, record + 46, nameLength) == name)
            {
                BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(record + 24), size);
                int local = (int)BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(record + 42));
                BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(local + 22), size);
                return bytes;
            }
            record += 46 + nameLength + extra + comment;
        }
        throw new ArgumentException($"The zip has no entry '{name}'.", nameof(name));
    }

    /// <summary><paramref name="zip"/> with the entry counts of its End Of Central Directory record set to <paramref name="count"/>.</summary>
    public static byte[] WithDeclaredEntryCount(byte[] zip, ushort count)
    {
        var bytes = (byte[])zip.Clone();
        int end = bytes.Length - 22;
        while (BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(end)) != 0x06054b50)
            end--;
        BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(end + 8), count);
        BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(end + 10), count);
        return bytes;
    }

    private static IReadOnlyDictionary<string, byte[]> Build()
    {
        var ml = new MLContext(15);
        var files = new Dictionary<string, byte[]>();

        var points = ml.Data.LoadFromEnumerable(Enumerable.Range(0, 60).Select(i => new Point
        {
            X = i % 7 - 3, Y = i % 5 - 2, Label = (i % 3) switch { 0 => "red", 1 => "green", _ => "blue" },
        }));
        var mlp = ml.Transforms.Concatenate("Features", nameof(Point.X), nameof(Point.Y))
            .Append(ml.Transforms.Conversion.MapValueToKey("Label"))
            .Append(ml.MulticlassClassification.Trainers.Mlp(hiddenLayers: [4], numberOfEpochs: 1));
        files["mlp"] = Save(ml, mlp.Fit(points), points);

        string[] words = ["good", "bad", "not", "film"];
        var random = new Random(15);
        var reviews = ml.Data.LoadFromEnumerable(Enumerable.Range(0, 40).Select(_ =>
        {
            var tokens = Enumerable.Range(0, random.Next(1, 6)).Select(_ => words[random.Next(words.Length)]).ToArray();
            return new Review { Text = string.Join(' ', tokens), Label = tokens.Contains("good") };
        }));
        var lstm = ml.Transforms.Text.TokenizeIntoWords("Tokens", nameof(Review.Text))
            .Append(ml.Transforms.Conversion.MapValueToKey("Keys", "Tokens"))
            .Append(ml.Transforms.PadSequence("Features", "Keys", 6))
            .Append(ml.BinaryClassification.Trainers.Lstm(new SequenceBinaryTrainer.Options
            {
                HiddenSize = 4, EmbeddingDimension = 3, NumberOfEpochs = 1, Seed = 15,
            }));
        files["lstm"] = Save(ml, lstm.Fit(reviews), reviews);

        var sentences = ml.Data.LoadFromEnumerable(Enumerable.Range(0, 40).Select(i => new Review { Text = i % 2 == 0 ? "king queen crown" : "dog cat pet" }));
        var embedding = ml.Transforms.Text.TokenizeIntoWords("Tokens", nameof(Review.Text))
            .Append(ml.Transforms.Text.TrainWord2Vec("Embedding", "Tokens", vectorSize: 4, minCount: 1, epochs: 1, workers: 1));
        files["word-embedding"] = Save(ml, embedding.Fit(sentences), sentences);

        var autoencoder = ml.Transforms.Concatenate("Features", nameof(Point.X), nameof(Point.Y))
            .Append(ml.AnomalyDetection.Trainers.Autoencoder(new AutoencoderTrainer.Options
            {
                Kind = AutoencoderKind.Dense, HiddenLayers = [3], CodeSize = 1, NumberOfEpochs = 1, Seed = 15,
            }));
        files["autoencoder"] = Save(ml, autoencoder.Fit(points), points);
        return files;
    }

    private static byte[] Save(MLContext ml, ITransformer model, IDataView data)
    {
        var stream = new MemoryStream();
        ml.Model.Save(model, data.Schema, stream);
        return stream.ToArray();
    }

    private sealed class Point
    {
        public float X { get; set; }

        public float Y { get; set; }

        public string Label { get; set; } = "";
    }

    private sealed class Review
    {
        public string Text { get; set; } = "";

        public bool Label { get; set; }
    }
}
