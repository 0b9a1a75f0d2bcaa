using System.IO.Compression;
using System.Text;
using System.Text.Json.Nodes;
using MLNetExt.Cli;
using Google.Protobuf;
using MLNetExt.Core.Onnx.Protobuf;
using MLNetExt.Transforms;
using MLNetExt.Transforms.Saving;
using static MLNetExt.Fuzz.Tests.ModelFiles;

namespace MLNetExt.Fuzz.Tests;

/// <summary>
/// Hostile ML.NET model files (issue 15), read by MLNetExt (<see cref="MLNetExtModel.LoadTransformers"/>) and by the
/// CLI (<see cref="ModelParts.Load"/>: MLNetExt's checks of the zip, then ML.NET's own loader): seeded mutations of
/// small valid models at three depths (the whole zip; an ONNX entry, re-zipped so that the mutation reaches the
/// protobuf; the MLNetExt state document inside it), and targeted cases, each of the findings among them.
/// Every case ends in a result or in a clean error naming the file, within the harness's time and allocation limits
/// (ML.NET's own load of a valid small model allocates 1–3 MB, inside the harness's fixed allowance).
/// </summary>
public class ModelFileFuzzTests
{
    private const string Native = "native", Cli = "cli";

    private static void LoadNative(string path) => MLNetExtModel.LoadTransformers(path);

    private static void LoadCli(string path) => ModelParts.Load(new MLContext(1), path, out _);

    private static bool IsCleanNative(Exception error) => error is InvalidDataException or FileNotFoundException;

    private static bool IsCleanCli(Exception error) => error is CliException;

    private static FuzzResult Run(string level, string reader, string caseName, byte[] bytes) => reader == Native
        ? FuzzHarness.Run($"model-{level}-{Native}.zip", caseName, bytes, LoadNative, IsCleanNative)
        : FuzzHarness.Run($"model-{level}-{Cli}.zip", caseName, bytes, LoadCli, IsCleanCli);

    // A seeded sample of the harness's mutations, a quarter truncations and the rest the other kinds: each is cheap for
    // MLNetExt's reader, but a case that gets past the zip checks costs ML.NET's loader (and ONNX Runtime) tens of ms.
    private static IEnumerable<(string Name, byte[] Bytes)> Sample(byte[] valid, int seed, int count)
    {
        var random = new Random(seed);
        var all = FuzzHarness.Mutations(valid, seed).OrderBy(_ => random.Next()).ToList();
        var truncated = all.Where(m => m.Name.StartsWith("truncated", StringComparison.Ordinal)).Take(count / 4);
        return truncated.Concat(all.Where(m => !m.Name.StartsWith("truncated", StringComparison.Ordinal)).Take(count - count / 4)).OrderBy(_ => random.Next());
    }

    private static List<FuzzResult> Campaign(string level, int nativeCases, int cliCases, Func<byte[], string, IEnumerable<(string Name, byte[] Bytes)>> inputs)
    {
        var results = new List<FuzzResult>();
        foreach (var (model, zip) in Valid)
        {
            var cases = inputs(zip, model).ToList();
            for (int i = 0; i < cases.Count; i++)
            {
                if (i < nativeCases)
                    results.Add(Run(level, Native, $"{model}: {cases[i].Name}", cases[i].Bytes));
                if (i < cliCases)
                    results.Add(Run(level, Cli, $"{model}: {cases[i].Name}", cases[i].Bytes));
            }
        }
        return results;
    }

    [Fact]
    public void The_valid_models_load_through_both_readers_within_the_limits()
    {
        var results = Valid.SelectMany(m => new[] { Run("valid", Native, m.Key, m.Value), Run("valid", Cli, m.Key, m.Value) }).ToList();

        FuzzHarness.Assert(results);
        results.Should().OnlyContain(r => r.Outcome == FuzzOutcome.Accepted, string.Join("\n", results.Select(r => $"{r.Case}: {r.Detail}")));
    }

    [Fact]
    public void Mutated_zips_are_loaded_or_refused_cleanly()
    {
        var results = Campaign("zip", nativeCases: 100, cliCases: 24, (zip, model) => Sample(zip, seed: 1501, count: 100));

        FuzzHarness.Assert(results);
        results.Should().Contain(r => r.Outcome == FuzzOutcome.CleanError);
    }

    [Fact]
    public void Mutated_onnx_entries_are_loaded_or_refused_cleanly()
    {
        // The graph's bytes are mutated and the entry's int32 count set to match, so that the mutation reaches the protobuf
        // (the zip-level campaign reaches the count).
        var results = Campaign("onnx", nativeCases: 100, cliCases: 16, (zip, model) => GraphEntries(zip).SelectMany((name, g) =>
            Sample(Entry(zip, name)[4..], seed: 1502 + g, count: 100 / GraphEntries(zip).Length)
                .Select(m => ($"{name}: {m.Name}", WithEntry(zip, name, EntryOf(m.Bytes))))));

        FuzzHarness.Assert(results);
        results.Should().Contain(r => r.Outcome == FuzzOutcome.CleanError);
    }

    [Fact]
    public void Mutated_state_documents_are_loaded_or_refused_cleanly()
    {
        var results = Campaign("state", nativeCases: 100, cliCases: 4, (zip, model) => GraphEntries(zip).SelectMany((name, g) =>
            Sample(State(Entry(zip, name)), seed: 1503 + g, count: 100 / GraphEntries(zip).Length)
                .Select(m => ($"{name}: {m.Name}", WithState(zip, name, m.Bytes)))));

        FuzzHarness.Assert(results);
        results.Where(r => r.Format.Contains(Native)).Should().Contain(r => r.Outcome == FuzzOutcome.CleanError)
            .And.Contain(r => r.Outcome == FuzzOutcome.Accepted, "bit flips in a name's letters or a weight's digits leave a valid model");
    }

    // ---- Targeted cases: each runs through both readers; MLNetExt's must refuse it with a message holding 'expected'.

    private static List<FuzzResult> Hostile(string caseName, byte[] file, string expected, bool cliRefuses = true)
    {
        var results = new List<FuzzResult> { Run("hostile", Native, caseName, file), Run("hostile", Cli, caseName, file) };
        FuzzHarness.Assert(results);
        results[0].Outcome.Should().Be(FuzzOutcome.CleanError, results[0].Detail);
        results[0].Detail.Should().Contain(expected);
        if (cliRefuses)
        {
            results[1].Outcome.Should().Be(FuzzOutcome.CleanError, results[1].Detail);
            results[1].Detail.Should().Contain(expected);
        }
        return results;
    }

    private static string GraphOf(string model, int index = -1)
    {
        var graphs = GraphEntries(Valid[model]);
        return graphs[index < 0 ? graphs.Length + index : index];
    }

    private static JsonObject Options(JsonObject state) => state["options"]!.AsObject();

    // A JSON list of 'count' one-letter texts, written as text (a JsonArray of millions of nodes takes seconds).
    private static string ManyValues(int count) => "[" + string.Join(',', Enumerable.Repeat("\"a\"", count)) + "]";

    // Settings that ML.NET's loader never reads (it scores the ONNX graph), so the CLI loads the model; MLNetExt must refuse them before allocating.
    public static TheoryData<string, string, string> OversizedSettings => new()
    {
        { "mlp", "HiddenLayers [40000, 40000] (issue 15: 6.3 GB from a 1 KB model)", "more than the 268,435,456 a saved model may have" },
        { "mlp", "HiddenLayers [4000] (within the limits, not in the file)", "but the file holds" },
        { "mlp", "HiddenLayers of 65 layers", "hidden layers must be 1 to 64 widths" },
        { "mlp", "FeatureCount 2000000", "is over the limit of 1048576" },
        { "mlp", "OutputCount 4000000 with 4 million label key values (issue 15: 1 GB)", "is over the limit of 1048576" },
        { "lstm", "NumberOfLayers 1000000 (issue 15: 3 GB and a hang)", "at most 64" },
        { "lstm", "VocabularySize 40000000 (issue 15: still allocating after 30 s)", "vocabulary 40000000 at most 16777216" },
        { "lstm", "VocabularySize 10000000 (within the limits, not in the file)", "but the file holds" },
        { "lstm", "EmbeddingDimension 2000000", "embedding dimension 2000000 at most 1048576" },
        { "lstm", "HiddenSize 100000", "more than the 268,435,456 a saved model may have" },
        { "lstm", "FeatureVectorSize -1", "feature vector size -1 is out of range" },
        { "lstm padding", "MaximumLength 2147483647", "maximum length 2147483647 is over the limit" },
        { "lstm padding", "4000000000 text key values", "more than the 16777216 a padded key column may have" },
        { "word-embedding", "WordCount 40000000", "it needs 1 to 16777216 words" },
        { "word-embedding", "WordCount 1000000 (within the limits, not in the file)", "but the file holds" },
        { "word-embedding", "VectorSize 2000000", "it needs 1 to 16777216 words of 1 to 1048576 dimensions" },
        { "autoencoder", "HiddenLayers [40000, 40000]", "more than 268435456 weights" },
        { "autoencoder", "HiddenLayers [5000] (within the limits, not in the file)", "but the file holds" },
        { "autoencoder", "FeatureCount 2000000", "outside [1, 1048576]" },
    };

    [Theory]
    [MemberData(nameof(OversizedSettings))]
    public void An_oversized_setting_is_refused_before_anything_is_allocated(string model, string setting, string expected)
    {
        string file = model.Split(' ')[0];
        string entry = model.EndsWith("padding", StringComparison.Ordinal) ? GraphOf(file, 0) : GraphOf(file);
        var edited = WithStateJson(Valid[file], entry, text => text.Replace("\"4 million\"", ManyValues(4_000_000), StringComparison.Ordinal), state =>
        {
            var options = Options(state);
            var architecture = options["Architecture"]?.AsObject();
            switch (setting.Split(" (")[0])
            {
                case "HiddenLayers [40000, 40000]":
                    (architecture ?? options)["HiddenLayers"] = new JsonArray(40000, 40000);
                    break;
                case "HiddenLayers [4000]":
                    options["HiddenLayers"] = new JsonArray(4000);
                    break;
                case "HiddenLayers [5000]":
                    architecture!["HiddenLayers"] = new JsonArray(5000);
                    break;
                case "HiddenLayers of 65 layers":
                    options["HiddenLayers"] = new JsonArray([.. Enumerable.Range(0, 65).Select(_ => (JsonNode?)2)]);
                    break;
                case "FeatureCount 2000000":
                    (architecture ?? options)["FeatureCount"] = 2_000_000;
                    break;
                case "OutputCount 4000000 with 4 million label key values":
                    options["OutputCount"] = 4_000_000;
                    state["values"]!["LabelKeyValues"] = "4 million";
                    break;
                case "NumberOfLayers 1000000":
                    architecture!["NumberOfLayers"] = 1_000_000;
                    break;
                case "VocabularySize 40000000":
                    architecture!["VocabularySize"] = 40_000_000;
                    break;
                case "VocabularySize 10000000":
                    architecture!["VocabularySize"] = 10_000_000;
                    break;
                case "EmbeddingDimension 2000000":
                    architecture!["EmbeddingDimension"] = 2_000_000;
                    break;
                case "HiddenSize 100000":
                    architecture!["HiddenSize"] = 100_000;
                    break;
                case "FeatureVectorSize -1":
                    options["FeatureVectorSize"] = -1;
                    break;
                case "MaximumLength 2147483647":
                    options["MaximumLength"] = int.MaxValue;
                    break;
                case "4000000000 text key values":
                    state["values"]!["item"] = new JsonArray("Key", "4000000000", "Text");
                    break;
                case "WordCount 40000000":
                    options["WordCount"] = 40_000_000;
                    break;
                case "WordCount 1000000":
                    options["WordCount"] = 1_000_000;
                    break;
                case "VectorSize 2000000":
                    options["VectorSize"] = 2_000_000;
                    break;
                default:
                    throw new ArgumentException(setting, nameof(setting));
            }
        });

        // The 4 million key values make a 16 MB document that compresses to a few KB: refused as a zip bomb before it is read.
        var results = Hostile($"{model}: {setting}", edited, setting.StartsWith("OutputCount", StringComparison.Ordinal) ? "refused as a zip bomb" : expected, cliRefuses: false);

        results[1].Outcome.Should().BeOneOf(FuzzOutcome.Accepted, FuzzOutcome.CleanError);
        results[0].Detail.Should().Contain(entry, "the error names the entry");
    }

    [Fact]
    public void A_million_label_key_values_for_three_classes_are_refused_before_one_is_read()
    {
        var file = WithStateText(Valid["mlp"], GraphOf("mlp"), s => s.Replace("[\"red\",\"green\",\"blue\"]", ManyValues(1_000_000), StringComparison.Ordinal));

        var results = Hostile("a million label key values", file, "value list 'LabelKeyValues' has 1,000,000 items, expected 3", cliRefuses: false);

        results[0].AllocatedBytes.Should().BeLessThan(40L << 20, "the 4 MB list is scanned, not materialized");
    }

    [Fact]
    public void An_entry_inflating_from_1_MB_to_1_1_GB_is_refused_before_it_is_inflated()
    {
        const string entry = "TransformerChain/Transform_000/OnnxModel";
        const long size = 1100L << 20;

        var results = Hostile("a 1.1 GB entry whose header says so", ZipBomb(entry, size, size), "refused as a zip bomb");
        // .NET inflates an entry no further than its header declares, so a header that understates gets a truncated
        // entry: 1 MB of zeros, which is no ONNX graph.
        var understated = Hostile("a 1.1 GB entry whose header says 1 MB", ZipBomb(entry, size, 1 << 20), "bytes of ONNX graph", cliRefuses: false);
        understated[1].Outcome.Should().Be(FuzzOutcome.CleanError, "ML.NET gets the megabyte of zeros, which is no model either");
        results.AddRange(understated);

        results.Should().OnlyContain(r => r.AllocatedBytes < 32L << 20, "nothing beyond the declared megabyte is inflated");
    }

    /// <summary>
    /// A zip of one entry <paramref name="name"/>: <paramref name="size"/> zero bytes deflated to about a thousandth
    /// (a sync-flushed deflate block of 1 MiB of zeros repeats, so it is built once and copied), its header declaring
    /// <paramref name="declared"/> bytes with the CRC of that many zeros.
    /// </summary>
    private static byte[] ZipBomb(string name, long size, long declared)
    {
        var deflated = new MemoryStream();
        var zeros = new byte[1 << 20];
        using (var deflate = new DeflateStream(deflated, CompressionLevel.SmallestSize, leaveOpen: true))
        {
            var ends = new List<long>();
            for (long written = 0; written < size; written += zeros.Length)
            {
                deflate.Write(zeros);
                deflate.Flush();
                ends.Add(deflated.Length);
                if (ends.Count == 3 && deflated.GetBuffer().AsSpan((int)ends[0], (int)(ends[1] - ends[0])).SequenceEqual(deflated.GetBuffer().AsSpan((int)ends[1], (int)(ends[2] - ends[1]))))
                {
                    var block = deflated.GetBuffer()[(int)ends[1]..(int)ends[2]];
                    for (written += zeros.Length; written + zeros.Length < size; written += zeros.Length)
                        deflated.Write(block);
                    deflated.Write([0x03, 0x00]); // a final empty block
                    break;
                }
            }
        }
        var data = deflated.ToArray();
        uint crc = Crc32OfZeros(declared);
        var nameBytes = Encoding.UTF8.GetBytes(name);
        var zip = new MemoryStream();
        var writer = new BinaryWriter(zip);
        void Header(uint signature, bool central)
        {
            writer.Write(signature);
            if (central)
                writer.Write((ushort)20);
            writer.Write((ushort)20); // version needed
            writer.Write((ushort)0); // flags
            writer.Write((ushort)8); // deflate
            writer.Write(0u); // time and date
            writer.Write(crc);
            writer.Write((uint)data.Length);
            writer.Write((uint)declared);
            writer.Write((ushort)nameBytes.Length);
            writer.Write((ushort)0); // extra
            if (central)
            {
                writer.Write((ushort)0); // comment
                writer.Write((ushort)0); // disk
                writer.Write((ushort)0); // internal attributes
                writer.Write(0u); // external attributes
                writer.Write(0u); // local header offset
            }
            writer.Write(nameBytes);
        }
        Header(0x04034b50, central: false);
        writer.Write(data);
        long directory = zip.Position;
        Header(0x02014b50, central: true);
        long directorySize = zip.Position - directory;
        writer.Write(0x06054b50u);
        writer.Write(0u); // disks
        writer.Write((ushort)1);
        writer.Write((ushort)1);
        writer.Write((uint)directorySize);
        writer.Write((uint)directory);
        writer.Write((ushort)0); // comment
        writer.Flush();
        return zip.ToArray();
    }

    // The CRC-32 of 'count' zero bytes in O(log count): a zero byte maps the CRC register linearly (over GF(2)), so
    // 'count' of them apply that map's count-th power, computed by squaring (as zlib's crc32_combine does).
    private static uint Crc32OfZeros(long count)
    {
        static uint Times(uint[] matrix, uint vector)
        {
            uint sum = 0;
            for (int i = 0; vector != 0; i++, vector >>= 1)
            {
                if ((vector & 1) != 0)
                    sum ^= matrix[i];
            }
            return sum;
        }
        static uint[] Square(uint[] matrix) => [.. matrix.Select(column => Times(matrix, column))];
        // The map of one zero bit, then of one zero byte (eight bits).
        var map = new uint[32];
        map[0] = 0xEDB88320;
        for (int i = 1; i < 32; i++)
            map[i] = 1u << (i - 1);
        for (int i = 0; i < 3; i++)
            map = Square(map);
        uint register = 0xFFFFFFFF;
        for (; count > 0; count >>= 1, map = Square(map))
        {
            if ((count & 1) != 0)
                register = Times(map, register);
        }
        return ~register;
    }

    [Fact]
    public void An_entry_under_the_inflation_limit_loads_within_the_allocation_rule_and_one_over_it_is_refused()
    {
        // 8 MB of one letter in a key no loader reads: the file grows by some 80 KB, the entry by 8 MB, under the
        // 4× + 8 MiB that the file may inflate to. Both readers accept it (the state is valid; ML.NET does not read it)
        // within the harness's 16× the file + 64 MiB: MLNetExt's allocates about 4× the entry, ML.NET's about 5×.
        // 640 KB more and the file is refused before the entry is inflated.
        const int padding = (8 << 20) - (64 << 10);
        string entry = GraphOf("mlp");
        var file = WithStateText(Valid["mlp"], entry, s => s.Replace("\"options\":{", $"\"padding\":\"{new string('a', padding)}\",\"options\":{{", StringComparison.Ordinal));

        var results = new[] { Run("hostile", Native, "an 8 MB entry in a small file", file), Run("hostile", Cli, "an 8 MB entry in a small file", file) };

        FuzzHarness.Assert(results);
        results.Should().OnlyContain(r => r.Outcome == FuzzOutcome.Accepted, string.Join("\n", results.Select(r => r.Detail)));
        var bigger = WithStateText(Valid["mlp"], entry, s => s.Replace("\"options\":{", $"\"padding\":\"{new string('a', padding + (640 << 10))}\",\"options\":{{", StringComparison.Ordinal));
        Hostile("an 8.6 MB entry in a small file", bigger, "refused as a zip bomb");
    }

    [Fact]
    public void An_entry_declaring_2_GB_is_refused_before_anything_is_allocated()
    {
        var results = Hostile("an OnnxModel entry declaring 2,000,000,000 bytes", WithDeclaredSize(Valid["mlp"], GraphOf("mlp"), 2_000_000_000), "refused as a zip bomb");

        results.Should().OnlyContain(r => r.AllocatedBytes < 32L << 20);
    }

    [Fact]
    public void A_damaged_central_directory_is_one_clear_error_naming_the_file()
    {
        // Issue 15: "Number of entries expected in End Of Central Directory does not correspond…", naming nothing.
        Hostile("the End Of Central Directory claims 65535 entries", WithDeclaredEntryCount(Valid["mlp"], 65535), "not an ML.NET model file");
    }

    [Fact]
    public void More_entries_than_a_model_file_may_have_are_refused()
    {
        var names = Enumerable.Range(0, 10_001).Select(i => $"padding/{i}").ToArray();

        Hostile("10,001 entries", Rezip(Valid["autoencoder"], (_, bytes) => bytes, names), "more than the 10,000 a model file may have");
    }

    [Fact]
    public void Path_traversal_entry_names_are_read_as_names()
    {
        string graph = GraphOf("mlp");
        var file = Rezip(Valid["mlp"], (name, bytes) => name.Contains("..", StringComparison.Ordinal) || name.StartsWith('/') ? Entry(Valid["mlp"], graph) : bytes,
            ["../../../../tmp/evil.txt", "/etc/passwd", "C:\\Windows\\win.ini", "../../../OnnxModel"]);

        var results = new[] { Run("hostile", Native, "path-traversal entry names", file), Run("hostile", Cli, "path-traversal entry names", file) };

        FuzzHarness.Assert(results);
        results.Should().OnlyContain(r => r.Outcome == FuzzOutcome.Accepted, "nothing is extracted: a name only selects an entry");
        string path = Path.Combine(Path.GetTempPath(), $"mlnetext-fuzz-{Guid.NewGuid():N}.zip");
        File.WriteAllBytes(path, file);
        try
        {
            MLNetExtModel.LoadTransformers(path).Should().HaveCount(2, "'../../../OnnxModel' is read as one more graph, from inside the zip");
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Duplicate_keys_in_the_state_are_a_clear_error_naming_the_file_and_entry()
    {
        // Issue 15: "An item with the same key has already been added. Key: kind".
        string entry = GraphOf("mlp");
        Hostile("the key 'kind' twice", WithStateText(Valid["mlp"], entry, s => s.Replace("{\"kind\":", "{\"kind\":\"MlpPrediction\",\"kind\":", StringComparison.Ordinal)),
            "it has the key 'kind' twice", cliRefuses: false);
        Hostile("an option twice", WithStateText(Valid["mlp"], entry, s => s.Replace("\"FeatureCount\":2,", "\"FeatureCount\":2,\"FeatureCount\":2,", StringComparison.Ordinal)),
            "Duplicate", cliRefuses: false);
        Hostile("a value list twice", WithStateText(Valid["mlp"], entry, s => s.Replace("\"values\":{", "\"values\":{\"LabelKeyValues\":[],", StringComparison.Ordinal)),
            "it has the value list 'LabelKeyValues' twice", cliRefuses: false);
    }

    [Fact]
    public void Deeply_nested_state_is_refused_at_a_fixed_depth()
    {
        string entry = GraphOf("mlp");
        string deep = new string('[', 100_000) + new string(']', 100_000);

        Hostile("options nested 100,000 deep", WithStateText(Valid["mlp"], entry, s => s.Replace("\"options\":{", $"\"options\":{{\"Deep\":{deep},", StringComparison.Ordinal)),
            "maximum configured depth of 64", cliRefuses: false);
        Hostile("a value list nested 100,000 deep", WithStateText(Valid["mlp"], entry, s => s.Replace("\"values\":{", $"\"values\":{{\"deep\":{deep},", StringComparison.Ordinal)),
            "maximum configured depth of 64", cliRefuses: false);
    }

    [Fact]
    public void State_that_is_not_UTF_8_is_a_clear_error_naming_the_file_and_entry()
    {
        // Issue 15: "Cannot transcode invalid UTF-8 JSON text to UTF-16 string", naming nothing.
        string entry = GraphOf("mlp");
        var state = State(Entry(Valid["mlp"], entry));
        int at = Encoding.UTF8.GetString(state).IndexOf("green", StringComparison.Ordinal);
        state[at] = 0xFF;
        state[at + 1] = 0xC0;

        // Protobuf requires its text fields to be UTF-8, so the graph itself is refused, by ML.NET's loader too.
        var results = Hostile("state with invalid UTF-8", WithState(Valid["mlp"], entry, state), $"entry '{entry}': its ONNX graph cannot be read (String is invalid UTF-8.)", cliRefuses: false);
        results[1].Outcome.Should().Be(FuzzOutcome.CleanError);
        results[1].Detail.Should().Contain("String is invalid UTF-8");
    }

    [Theory]
    [InlineData(float.NaN)]
    [InlineData(float.PositiveInfinity)]
    public void A_weight_that_is_not_a_finite_number_is_refused_by_MLNetExt(float value)
    {
        // Training never saves one (it stops on a NaN or infinite loss and restores the best weights), so it is damage:
        // MLNetExt refuses it rather than scoring NaN on every row. ML.NET's loader (the CLI's) runs the ONNX graph as
        // it is, like any ONNX model, so the CLI's load accepts the file; its predict and evaluate then refuse the first
        // score that is not finite, naming the model and the line (Cli.Tests' DamagedModelTests).
        var file = WithGraph(Valid["mlp"], GraphOf("mlp"), graph =>
        {
            var weight = graph.Graph.Initializer.Single(i => i.Name == "0.weight");
            var bytes = weight.RawData.ToByteArray();
            BitConverter.GetBytes(value).CopyTo(bytes, 4);
            weight.RawData = Google.Protobuf.ByteString.CopyFrom(bytes);
        });

        var results = Hostile($"a weight of {value}", file, $"tensor '0.weight' holds {value} at index 1; a saved model's weights must be finite numbers", cliRefuses: false);

        results[1].Outcome.Should().Be(FuzzOutcome.Accepted);
    }

    [Fact]
    public void An_empty_file_and_a_directory_are_refused_by_name()
    {
        string folder = Directory.CreateTempSubdirectory("mlnetext-fuzz-model-dir-").FullName;
        try
        {
            var results = new List<FuzzResult>
            {
                Run("hostile", Native, "an empty file", []),
                Run("hostile", Cli, "an empty file", []),
                FuzzHarness.RunOnPath($"model-hostile-{Native}.zip", "a directory", folder, 0, LoadNative, IsCleanNative),
                FuzzHarness.RunOnPath($"model-hostile-{Cli}.zip", "a directory", folder, 0, LoadCli, IsCleanCli),
            };

            FuzzHarness.Assert(results);
            results.Should().OnlyContain(r => r.Outcome == FuzzOutcome.CleanError);
            results[2].Detail.Should().Contain("is a directory");
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
    [Fact]
    public void A_file_at_the_inflation_limit_loads_within_the_allocation_bound_and_one_past_it_is_refused()
    {
        // A file may inflate to InflationRatio × its length + InflationAllowance. One that does so (8 MB of noise that
        // does not compress, then zeros that do, up to just under the limit) must load in both readers within the
        // harness's bound of 16× the file + 64 MiB: MLNetExt's reader holds the inflated bytes about twice, ML.NET's
        // about three times (12× the file + 24 MiB at most). The same file with 1 MiB more zeros is refused by the
        // zip checks, before ML.NET inflates anything.
        var noise = new byte[8 << 20];
        new Random(3).NextBytes(noise);
        string entry = GraphOf("mlp");
        byte[] Padded(int zeros) => WithGraph(Valid["mlp"], entry, graph =>
        {
            graph.Graph.Initializer.Add(new TensorProto { Name = "pad.noise", DataType = 1, Dims = { noise.Length / 4 }, RawData = ByteString.CopyFrom(noise) });
            graph.Graph.Initializer.Add(new TensorProto { Name = "pad.zeros", DataType = 1, Dims = { zeros / 4 }, RawData = ByteString.CopyFrom(new byte[zeros]) });
        });
        static long Inflated(byte[] zip)
        {
            using var archive = new ZipArchive(new MemoryStream(zip), ZipArchiveMode.Read);
            return archive.Entries.Sum(e => e.Length);
        }
        static long Limit(byte[] zip) => NativeModelFile.InflationRatio * (long)zip.Length + NativeModelFile.InflationAllowance;
        // The zeros compressed lengthen the file and so raise its limit: two rounds bring it within 256 KiB of it.
        int zeros = 0;
        var atLimit = Padded(zeros);
        for (int round = 0; round < 2; round++)
        {
            zeros += (int)((Limit(atLimit) - Inflated(atLimit) - (256 << 10)) / 4 * 4);
            atLimit = Padded(zeros);
        }
        var pastLimit = Padded(zeros + (4 << 20));
        Inflated(atLimit).Should().BeLessThanOrEqualTo(Limit(atLimit));
        Inflated(pastLimit).Should().BeGreaterThan(Limit(pastLimit));
        Inflated(atLimit).Should().BeGreaterThan(NativeModelFile.InflationRatio * (long)atLimit.Length, "the file is close to its inflation limit");

        var accepted = new List<FuzzResult> { Run("near-limit", Native, "8 MB of noise, zeros up to the inflation limit", atLimit), Run("near-limit", Cli, "8 MB of noise, zeros up to the inflation limit", atLimit) };
        FuzzHarness.Assert(accepted);
        accepted.Should().OnlyContain(r => r.Outcome == FuzzOutcome.Accepted, "the file keeps every limit");

        var refused = Hostile("8 MB of noise, zeros 1 MiB past the inflation limit", pastLimit, "refused as a zip bomb");
        refused.Should().OnlyContain(r => r.AllocatedBytes < 16L << 20, "nothing is inflated beyond the checks' small buffers");
    }
}
