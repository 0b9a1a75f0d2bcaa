using System.Buffers.Binary;
using System.Text;
using FluentAssertions;
using MLNetExt.Core.Serialization;
using MLNetExt.Core.Tests.Infrastructure;

namespace MLNetExt.Core.Tests.Serialization;

public sealed class SafeTensorsTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("mlnetext-safetensors-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private string PathOf(string name) => Path.Combine(_directory, name);

    private static string ReferenceDirectory => Path.Combine(AppContext.BaseDirectory, "Reference", "optim");

    [Fact]
    public void Round_trip_is_bit_exact_and_keeps_metadata()
    {
        var weight = new Tensor(4, 3);
        new RandomSource(1).FillGaussian(weight.Span, 0, 3);
        var special = Tensor.FromValues([float.NaN, float.PositiveInfinity, float.NegativeInfinity, -0f, float.Epsilon, float.MaxValue], 6);
        var scalar = Tensor.Scalar(42.5f);
        var empty = new Tensor(0, 5);
        string path = PathOf("model.safetensors");
        SafeTensors.Save(path, [new("weight", weight), new("special", special), new("scalar", scalar), new("empty", empty)],
            new Dictionary<string, string> { ["format"] = "pt", ["epoch"] = "7" });

        (new FileInfo(path).Length - 8 - (long)ReadHeaderLength(path)).Should().Be((12 + 6 + 1) * 4);
        (ReadHeaderLength(path) % 8).Should().Be(0UL);
        var file = SafeTensors.Load(path);
        file.Names.Should().Equal("weight", "special", "scalar", "empty");
        file.Metadata.Should().BeEquivalentTo(new Dictionary<string, string> { ["format"] = "pt", ["epoch"] = "7" });
        foreach (var (name, original) in new[] { ("weight", weight), ("special", special), ("scalar", scalar), ("empty", empty) })
        {
            var loaded = file.Tensors[name];
            loaded.Shape.ToArray().Should().Equal(original.Shape.ToArray());
            loaded.Span.ToArray().Select(BitConverter.SingleToInt32Bits).Should().Equal(original.Span.ToArray().Select(BitConverter.SingleToInt32Bits));
        }
        Directory.GetFiles(_directory).Should().Equal(path);
    }

    [Fact]
    public void Reads_the_file_written_by_hand_in_python()
    {
        var file = SafeTensors.Load(Path.Combine(ReferenceDirectory, "python_written.safetensors"));
        var reference = ReferenceData.Load("optim/python_written.json");
        file.Names.Should().Equal("weight", "half", "bias", "brain", "double");
        foreach (var name in file.Names)
            TensorAssert.Close(file.Tensors[name], reference.Tensor(name), rtol: 0, atol: 0, what: name);
        file.Metadata.Should().BeEquivalentTo(new Dictionary<string, string> { ["format"] = "pt", ["note"] = "hand-written" });
    }

    private static ulong ReadHeaderLength(string path)
    {
        using var stream = File.OpenRead(path);
        Span<byte> bytes = stackalloc byte[8];
        stream.ReadExactly(bytes);
        return BinaryPrimitives.ReadUInt64LittleEndian(bytes);
    }

    private static byte[] Build(string header, int dataBytes, ulong? headerLengthOverride = null)
    {
        byte[] json = Encoding.UTF8.GetBytes(header);
        var bytes = new byte[8 + json.Length + dataBytes];
        BinaryPrimitives.WriteUInt64LittleEndian(bytes, headerLengthOverride ?? (ulong)json.Length);
        json.CopyTo(bytes, 8);
        return bytes;
    }

    private const string Good = """{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}}""";

    public static TheoryData<string, byte[], string> Malformed => new()
    {
        { "tiny", [1, 2, 3], "too short" },
        { "length_past_end", Build(Good, 8, headerLengthOverride: 1000), "exceeds the" },
        { "length_over_cap", Build(Good, 8, headerLengthOverride: 1UL << 40), "limit" },
        { "length_max", Build(Good, 8, headerLengthOverride: ulong.MaxValue), "limit" },
        { "length_zero", Build(Good, 8, headerLengthOverride: 0), "too small" },
        { "not_json", Build("{\"a\": nope}", 8), "not valid JSON" },
        { "not_object", Build("[1, 2]", 0), "start with" },
        { "bad_utf8", [.. Build("{\"", 0), 0xC3, 0x28, (byte)'"', (byte)':', (byte)'1', (byte)'}'], "JSON" },
        { "unknown_dtype", Build("""{"a":{"dtype":"F7","shape":[2],"data_offsets":[0,8]}}""", 8), "unknown dtype 'F7'" },
        { "unsupported_dtype", Build("""{"a":{"dtype":"I64","shape":[1],"data_offsets":[0,8]}}""", 8), "'I64' cannot be read" },
        { "size_mismatch", Build("""{"a":{"dtype":"F32","shape":[3],"data_offsets":[0,8]}}""", 8), "needs 12 bytes" },
        { "offsets_out_of_range", Build("""{"a":{"dtype":"F32","shape":[2],"data_offsets":[8,16]}}""", 8), "run past" },
        { "overlap", Build("""{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"b":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}}""", 8), "overlap" },
        { "gap", Build("""{"a":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}}""", 8), "gap" },
        { "uncovered_tail", Build(Good, 12), "data section holds 12" },
        { "truncated", Build(Good, 6), "run past" },
        { "negative_dim", Build("""{"a":{"dtype":"F32","shape":[-2],"data_offsets":[0,8]}}""", 8), "negative" },
        { "fractional_dim", Build("""{"a":{"dtype":"F32","shape":[2.5],"data_offsets":[0,8]}}""", 8), "not an integer" },
        { "huge_shape", Build("""{"a":{"dtype":"F32","shape":[1000000,1000000,1000000],"data_offsets":[0,8]}}""", 8), "more elements" },
        { "duplicate_name", Build("""{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},"a":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}}""", 8), "more than once" },
        { "reversed_offsets", Build("""{"a":{"dtype":"F32","shape":[0],"data_offsets":[8,0]}}""", 8), "reversed" },
        { "three_offsets", Build("""{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8,8]}}""", 8), "two integers" },
        { "missing_field", Build("""{"a":{"dtype":"F32","data_offsets":[0,8]}}""", 8), "needs" },
        { "extra_field", Build("""{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8],"code":"x"}}""", 8), "'code'" },
        { "metadata_not_string", Build("""{"__metadata__":{"k":1},"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}}""", 8), "not a string" },
        { "deep_nesting", Build("{\"a\":" + new string('[', 100) + new string(']', 100) + "}", 0), "JSON" },
    };

    [Theory]
    [MemberData(nameof(Malformed))]
    public void Malformed_files_are_rejected_clearly_without_large_allocations(string name, byte[] content, string problem)
    {
        string path = PathOf(name + ".safetensors");
        File.WriteAllBytes(path, content);
        long before = GC.GetAllocatedBytesForCurrentThread();
        var act = () => SafeTensors.Load(path);
        act.Should().Throw<InvalidDataException>().WithMessage($"*{name}.safetensors*{problem}*");
        (GC.GetAllocatedBytesForCurrentThread() - before).Should().BeLessThan(1 << 20);
    }

    [Fact]
    public void The_well_formed_sample_loads()
    {
        string path = PathOf("good.safetensors");
        var bytes = Build(Good, 8);
        BinaryPrimitives.WriteSingleLittleEndian(bytes.AsSpan(bytes.Length - 8), 1.5f);
        BinaryPrimitives.WriteSingleLittleEndian(bytes.AsSpan(bytes.Length - 4), -2f);
        File.WriteAllBytes(path, bytes);
        SafeTensors.Load(path).Tensors["a"].Span.ToArray().Should().Equal(1.5f, -2f);
    }

    [Fact]
    public void A_failed_write_keeps_the_previous_file_and_leaves_no_temporary_file()
    {
        string path = PathOf("weights.safetensors");
        SafeTensors.Save(path, [new("a", Tensor.FromValues([1f, 2f], 2))]);
        byte[] before = File.ReadAllBytes(path);

        var failing = () => AtomicFile.Write(path, stream =>
        {
            stream.Write(new byte[4096]);
            throw new IOException("simulated disk failure");
        });
        failing.Should().Throw<IOException>().WithMessage("simulated disk failure");

        File.ReadAllBytes(path).Should().Equal(before);
        Directory.GetFiles(_directory).Should().Equal(path);
        SafeTensors.Load(path).Tensors["a"].Span.ToArray().Should().Equal(1f, 2f);
    }

    [Fact]
    public void Saving_replaces_the_previous_file_and_rejects_bad_names()
    {
        string path = PathOf("weights.safetensors");
        SafeTensors.Save(path, [new("a", Tensor.FromValues([1f], 1))]);
        SafeTensors.Save(path, [new("b", Tensor.FromValues([3f, 4f], 2))]);
        SafeTensors.Load(path).Names.Should().Equal("b");
        Directory.GetFiles(_directory).Should().Equal(path);

        var reserved = () => SafeTensors.Save(path, [new("__metadata__", new Tensor(1))]);
        reserved.Should().Throw<ArgumentException>().WithMessage("*reserved*");
        var duplicate = () => SafeTensors.Save(path, [new("x", new Tensor(1)), new("x", new Tensor(1))]);
        duplicate.Should().Throw<ArgumentException>().WithMessage("*more than once*");
        var missingDirectory = () => SafeTensors.Save(Path.Combine(_directory, "nope", "w.safetensors"), [new("x", new Tensor(1))]);
        missingDirectory.Should().Throw<DirectoryNotFoundException>();
        Directory.GetFiles(_directory).Should().Equal(path);
    }

    [Fact]
    public void Stream_round_trip_matches_the_file_format_byte_for_byte()
    {
        var weight = new Tensor(3, 2);
        new RandomSource(4).FillGaussian(weight.Span, 0, 1);
        string path = PathOf("file.safetensors");
        SafeTensors.Save(path, [new("w", weight)]);
        using var memory = new MemoryStream();
        SafeTensors.Save(memory, [new("w", weight)]);
        memory.ToArray().Should().Equal(File.ReadAllBytes(path));

        memory.Position = 0;
        var loaded = SafeTensors.Load(memory, "in-memory entry").Tensors["w"];
        loaded.Span.ToArray().Should().Equal(weight.Span.ToArray());
    }

    [Fact]
    public void Stream_errors_name_the_source_and_non_seekable_streams_are_refused()
    {
        using var truncated = new MemoryStream([16, 0, 0, 0, 0, 0, 0, 0, (byte)'{']);
        var act = () => SafeTensors.Load(truncated, "archive.zip:tensors/0.safetensors");
        act.Should().Throw<InvalidDataException>().WithMessage("*archive.zip:tensors/0.safetensors*");

        using var forwardOnly = new ForwardOnlyStream();
        ((Action)(() => SafeTensors.Load(forwardOnly, "pipe"))).Should().Throw<ArgumentException>().WithMessage("*seekable*");
    }

    /// <summary>A readable stream that cannot seek, like a network or decompression stream.</summary>
    private sealed class ForwardOnlyStream : MemoryStream
    {
        public override bool CanSeek => false;
    }
}
