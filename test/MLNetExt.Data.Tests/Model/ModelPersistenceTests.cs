using System.IO.Compression;
using System.Text;
using System.Text.Json.Nodes;
using FluentAssertions;

namespace MLNetExt.Data.Tests.Model;

public sealed class ModelPersistenceTests : IDisposable
{
    public sealed class Row
    {
        [VectorType(2)]
        public float[] Features = [];

        public string Name = "";
    }

    private readonly string _folder = Path.Combine(Path.GetTempPath(), "mlnetext-model-tests-" + Guid.NewGuid().ToString("N"));
    private readonly MLContext _ml = new(1);

    public ModelPersistenceTests()
    {
        Directory.CreateDirectory(_folder);
        SlotScalingTransformer.EnsureRegistered();
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private string PathOf(string name) => Path.Combine(_folder, name);

    private IDataView Data() => _ml.Data.LoadFromEnumerable(new[]
    {
        new Row { Features = [2, -4], Name = "a" },
        new Row { Features = [1, 8], Name = "b" },
    });

    private static TransformerChain<ITransformer> NestedChain() => new(
        new SlotScalingTransformer("Features", "Scaled", [2, 4], ["x", "y"]),
        new TransformerChain<ITransformer>(new SlotScalingTransformer("Scaled", "Twice", [0.5f, 0.25f], ["p", "q"])));

    private static float[][] Column(IDataView data, string name)
    {
        var rows = new List<float[]>();
        var column = data.Schema[name];
        using var cursor = data.GetRowCursor([column]);
        var getter = cursor.GetGetter<VBuffer<float>>(column);
        VBuffer<float> value = default;
        while (cursor.MoveNext())
        {
            getter(ref value);
            rows.Add(value.GetValues().ToArray());
        }
        return [.. rows];
    }

    private string SavedModel()
    {
        string path = PathOf("model.zip");
        _ml.Model.Save(NestedChain(), Data().Schema, path);
        return path;
    }

    private static Dictionary<string, byte[]> Entries(string path)
    {
        using var zip = ZipFile.OpenRead(path);
        return zip.Entries.ToDictionary(e => e.FullName, e =>
        {
            using var stream = e.Open();
            using var copy = new MemoryStream();
            stream.CopyTo(copy);
            return copy.ToArray();
        });
    }

    private string WriteZip(string name, IEnumerable<KeyValuePair<string, byte[]>> entries)
    {
        string path = PathOf(name);
        using var zip = ZipFile.Open(path, ZipArchiveMode.Create);
        foreach (var (entryName, content) in entries)
        {
            using var stream = zip.CreateEntry(entryName).Open();
            stream.Write(content);
        }
        return path;
    }

    /// <summary>A copy of the saved model with its manifest changed by <paramref name="edit"/>.</summary>
    private string WithManifest(string name, Action<JsonObject> edit)
    {
        var entries = Entries(SavedModel());
        var manifest = JsonNode.Parse(entries["manifest.json"])!.AsObject();
        edit(manifest);
        entries["manifest.json"] = Encoding.UTF8.GetBytes(manifest.ToJsonString());
        return WriteZip(name, entries);
    }

    private void LoadShouldFail(string path, string messagePattern) =>
        FluentActions.Invoking(() => _ml.Model.Load(path, out _))
            .Should().Throw<InvalidDataException>().WithMessage($"'{path}'*{messagePattern}*");

    [Fact]
    public void Nested_chain_round_trips_through_a_file_with_identical_output()
    {
        var model = NestedChain();
        string path = SavedModel();

        var loaded = _ml.Model.Load(path, out var inputSchema);

        loaded.Should().BeOfType<TransformerChain<ITransformer>>().Which.Should().HaveCount(2);
        var inner = ((TransformerChain<ITransformer>)loaded).Last().Should().BeOfType<TransformerChain<ITransformer>>().Subject;
        inner.Single().Should().BeOfType<SlotScalingTransformer>().Which.SlotNames.Should().Equal("p", "q");
        inputSchema.Select(c => $"{c.Name}: {c.Type}").Should().Equal(Data().Schema.Select(c => $"{c.Name}: {c.Type}"));
        Column(loaded.Transform(Data()), "Twice").Should().BeEquivalentTo(Column(model.Transform(Data()), "Twice"), o => o.WithStrictOrdering());
        Column(loaded.Transform(Data()), "Twice")[0].Should().Equal(2f, -4f);
        Directory.GetFiles(_folder).Should().Equal(path);
    }

    [Fact]
    public void Input_schema_keeps_hidden_columns_key_types_dimensions_and_annotations()
    {
        var keyValues = new DataViewSchema.Annotations.Builder();
        keyValues.Add(AnnotationUtils.Kinds.KeyValues, new VectorDataViewType(TextDataViewType.Instance, 2),
            (ref VBuffer<ReadOnlyMemory<char>> v) => v = new VBuffer<ReadOnlyMemory<char>>(2, ["cat".AsMemory(), "dog".AsMemory()]));
        var image = new DataViewSchema.Annotations.Builder();
        image.AddImageShape(1, 2, 3);
        image.Add(AnnotationUtils.Kinds.IsNormalized, BooleanDataViewType.Instance, true);
        var builder = new DataViewSchema.Builder();
        builder.AddColumn("Label", NumberDataViewType.Double);
        builder.AddColumn("Pet", new KeyDataViewType(typeof(uint), 2), keyValues.ToAnnotations());
        builder.AddColumn("Pixels", new VectorDataViewType(NumberDataViewType.Single, 1, 2, 3), image.ToAnnotations());
        builder.AddColumn("Label", new VectorDataViewType(NumberDataViewType.Int32));
        builder.AddColumn("Missing", NumberDataViewType.Single);
        var schema = builder.ToSchema();

        using var stream = new MemoryStream();
        _ml.Model.Save(NestedChain(), schema, stream);
        stream.Position = 0;
        _ml.Model.Load(stream, out var loaded);

        loaded.Select(c => $"{c.Name}: {c.Type}{(c.IsHidden ? " hidden" : "")}").Should().Equal(
            "Label: Double hidden", "Pet: Key<UInt32, 0-1>", "Pixels: Vector<Single, 1, 2, 3>", "Label: Vector<Int32>", "Missing: Single");
        VBuffer<ReadOnlyMemory<char>> names = default;
        loaded["Pet"].Annotations.GetValue(AnnotationUtils.Kinds.KeyValues, ref names);
        names.DenseValues().Select(n => n.ToString()).Should().Equal("cat", "dog");
        loaded["Pixels"].TryGetImageShape(out int c, out int h, out int w).Should().BeTrue();
        (c, h, w).Should().Be((1, 2, 3));
        bool normalized = false;
        loaded["Pixels"].Annotations.GetValue(AnnotationUtils.Kinds.IsNormalized, ref normalized);
        normalized.Should().BeTrue();
    }

    [Fact]
    public void A_model_saved_without_an_input_schema_loads_with_none_from_a_forward_only_stream()
    {
        using var stream = new MemoryStream();
        _ml.Model.Save(NestedChain(), null, stream);
        using var forwardOnly = new ForwardOnlyStream(stream.ToArray());

        var loaded = _ml.Model.Load(forwardOnly, out var schema);

        schema.Should().BeNull();
        Column(loaded.Transform(Data()), "Twice")[1].Should().Equal(1f, 8f);
    }

    [Fact]
    public void Truncated_files_are_rejected_naming_the_file()
    {
        var bytes = File.ReadAllBytes(SavedModel());
        foreach (int length in new[] { 0, 3, 30, bytes.Length / 2, bytes.Length - 30, bytes.Length - 1 })
        {
            string path = PathOf($"truncated-{length}.zip");
            File.WriteAllBytes(path, bytes[..length]);
            FluentActions.Invoking(() => _ml.Model.Load(path, out _))
                .Should().Throw<InvalidDataException>($"a file cut at {length} bytes is not a model").WithMessage($"'{path}' is not a valid MLNetExt model: *");
        }
    }

    [Fact]
    public void Corrupted_entries_fail_their_checksum()
    {
        var entries = Entries(SavedModel());
        var tensors = entries.Keys.First(k => k.StartsWith("tensors/", StringComparison.Ordinal));
        string stored = PathOf("stored.zip");
        using (var zip = ZipFile.Open(stored, ZipArchiveMode.Create))
        {
            foreach (var (name, content) in entries)
            {
                using var stream = zip.CreateEntry(name, CompressionLevel.NoCompression).Open();
                stream.Write(content);
            }
        }
        var bytes = File.ReadAllBytes(stored);
        // The last float of the tensor data: flipping it keeps the safetensors structure valid.
        int offset = IndexOf(bytes, entries[tensors]) + entries[tensors].Length - 1;
        bytes[offset] ^= 0x40;
        File.WriteAllBytes(stored, bytes);

        LoadShouldFail(stored, $"'{tensors}' fails its CRC-32 check");
    }

    private static int IndexOf(byte[] haystack, byte[] needle)
    {
        for (int i = 0; i <= haystack.Length - needle.Length; i++)
        {
            if (haystack.AsSpan(i, needle.Length).SequenceEqual(needle))
                return i;
        }
        throw new InvalidOperationException("The entry's bytes are not stored as they are.");
    }

    [Fact]
    public void Foreign_zips_and_foreign_files_are_rejected()
    {
        LoadShouldFail(WriteZip("foreign.zip", [new("readme.txt", "hello"u8.ToArray())]), "no 'manifest.json' entry");
        string text = PathOf("text.zip");
        File.WriteAllText(text, "not a zip at all");
        LoadShouldFail(text, "not a readable zip archive");
        LoadShouldFail(WriteZip("json.zip", [new("manifest.json", "{\"format\": \"SomethingElse\"}"u8.ToArray())]), "does not declare the format 'MLNetExt.Model'");
        LoadShouldFail(WriteZip("badjson.zip", [new("manifest.json", "{\"format\": "u8.ToArray())]), "manifest is not valid JSON");
    }

    [Fact]
    public void Another_format_version_is_rejected()
    {
        LoadShouldFail(WithManifest("v2.zip", m => m["formatVersion"] = 2), "format version is 2, but this code reads version 1");
    }

    [Fact]
    public void A_manifest_that_does_not_match_the_entries_is_rejected()
    {
        LoadShouldFail(WithManifest("missing.zip", m => m["model"]!["models"]![0]!["model"]!["tensors"] = "tensors/9.safetensors"),
            "refers to the entry 'tensors/9.safetensors', which the zip does not hold");

        var entries = Entries(SavedModel());
        entries["tensors/extra.safetensors"] = entries.Values.Last();
        LoadShouldFail(WriteZip("extra.zip", entries), "the entry 'tensors/extra.safetensors' is not referenced by the manifest");

        LoadShouldFail(WithManifest("noversion.zip", m => m["model"]!.AsObject().Remove("version")), "has no valid version");
    }

    [Fact]
    public void Bad_safetensors_inside_are_rejected_naming_the_entry()
    {
        var entries = Entries(SavedModel());
        var name = entries.Keys.First(k => k.StartsWith("tensors/", StringComparison.Ordinal));
        entries[name] = [0xFF, 0xFF, 0, 0, 0, 0, 0, 0, (byte)'{', (byte)'}'];
        LoadShouldFail(WriteZip("badtensors.zip", entries), $"the entry '{name}' is not valid safetensors");
    }

    [Fact]
    public void Tensors_that_do_not_match_the_loader_are_rejected()
    {
        var entries = Entries(SavedModel());
        var manifest = JsonNode.Parse(entries["manifest.json"])!.AsObject();
        manifest["model"]!["models"]![0]!["model"]!["values"]!["slotNames"]!["items"] = new JsonArray("only one");
        entries["manifest.json"] = Encoding.UTF8.GetBytes(manifest.ToJsonString());
        LoadShouldFail(WriteZip("shape.zip", entries), "model 'Test.SlotScaling': tensor 'weights' has shape [2], expected [1]");
    }

    [Fact]
    public void Unknown_kinds_are_refused_by_name()
    {
        LoadShouldFail(WithManifest("unknown.zip", m => m["model"]!["models"]![0]!["model"]!["kind"] = "System.Diagnostics.Process"),
            "model kind 'System.Diagnostics.Process', which is not registered");
        ModelKindRegistry.IsRegistered("System.Diagnostics.Process").Should().BeFalse();
    }

    [Fact]
    public void Registry_refuses_a_second_loader_for_a_kind()
    {
        ModelKindRegistry.IsRegistered(SlotScalingTransformer.Kind).Should().BeTrue();
        ModelKindRegistry.Kinds.Should().Contain(["TransformerChain", SlotScalingTransformer.Kind]);
        FluentActions.Invoking(() => ModelKindRegistry.Register(SlotScalingTransformer.Kind, _ => new UnsavableTransformer()))
            .Should().Throw<InvalidOperationException>().WithMessage("*'Test.SlotScaling'*");
    }

    [Fact]
    public void Size_caps_are_checked_before_reading()
    {
        var many = Enumerable.Range(0, 4097).Select(i => new KeyValuePair<string, byte[]>($"e{i}", []));
        LoadShouldFail(WriteZip("many.zip", many), "4097 entries, more than the 4096 allowed");

        string huge = PathOf("huge.zip");
        using (var zip = ZipFile.Open(huge, ZipArchiveMode.Create))
        {
            using var stream = zip.CreateEntry("manifest.json", CompressionLevel.SmallestSize).Open();
            var spaces = new byte[1 << 20];
            spaces.AsSpan().Fill((byte)' ');
            for (int i = 0; i < 65; i++)
                stream.Write(spaces);
        }
        LoadShouldFail(huge, "manifest is 68157440 bytes, more than the 67108864 allowed");

        LoadShouldFail(WithManifest("deep.zip", m =>
        {
            var node = m["model"]!.DeepClone().AsObject();
            for (int i = 0; i < 20; i++)
                node = new JsonObject { ["kind"] = "TransformerChain", ["version"] = 1, ["options"] = new JsonObject { ["Scopes"] = new JsonArray("Everything") }, ["values"] = new JsonObject(), ["models"] = new JsonArray(new JsonObject { ["name"] = "0", ["model"] = node }) };
            m["model"] = node;
        }), "nested more than 16 deep");
    }

    [Fact]
    public void An_unsavable_transformer_is_named_and_nothing_is_written()
    {
        string path = PathOf("unsavable.zip");
        FluentActions.Invoking(() => _ml.Model.Save(new TransformerChain<ITransformer>(new UnsavableTransformer()), null, path))
            .Should().Throw<ArgumentException>().WithMessage("*UnsavableTransformer cannot be saved*");
        Directory.GetFiles(_folder).Should().BeEmpty();
    }

    [Fact]
    public void A_failed_save_leaves_the_previous_model_intact_and_no_temporary_file()
    {
        string path = SavedModel();
        var before = File.ReadAllBytes(path);

        FluentActions.Invoking(() => _ml.Model.Save(new FailingWhileWrittenTransformer(), null, path)).Should().Throw<ArgumentException>();
        FluentActions.Invoking(() => _ml.Model.Save(new UnsavableTransformer(), null, path)).Should().Throw<ArgumentException>();

        File.ReadAllBytes(path).Should().Equal(before);
        Directory.GetFiles(_folder).Should().Equal(path);
        _ml.Model.Load(path, out _).Should().BeOfType<TransformerChain<ITransformer>>();
    }

    private sealed class ForwardOnlyStream(byte[] bytes) : MemoryStream(bytes)
    {
        public override bool CanSeek => false;
    }
}
