using System.Buffers.Binary;
using System.Globalization;
using System.IO.Compression;
using System.Text;
using Microsoft.ML.OnnxRuntime;

namespace MLNetExt.Cli.Tests;

/// <summary>A binary MLP model trained once by <c>mlnetext train</c>, shared by the export tests.</summary>
public sealed class TrainedModelFixture : IDisposable
{
    public TrainedModelFixture()
    {
        var random = new Random(7);
        var lines = new List<string> { "x,y,label" };
        for (int i = 0; i < 120; i++)
        {
            double x = random.NextDouble() * 2 - 1, y = random.NextDouble() * 2 - 1;
            lines.Add(string.Create(CultureInfo.InvariantCulture, $"{x:F4},{y:F4},{(x * y > 0 ? "true" : "false")}"));
        }
        string data = Path.Combine(Folder, "xor.csv");
        File.WriteAllLines(data, lines);
        var train = CliProcess.Run(Folder, "train", "--task", "binary", "--dataset", data, "--label-col", "label", "--epochs", "3",
            "--hidden", "8", "--seed", "3", "--output", ModelPath, "--no-progress");
        if (train.ExitCode != 0)
            throw new InvalidOperationException($"mlnetext train failed: {train.Error}");
    }

    public string Folder { get; } = Directory.CreateTempSubdirectory("mlnetext-export-").FullName;

    public string ModelPath => Path.Combine(Folder, "model.zip");

    public void Dispose() => Directory.Delete(Folder, recursive: true);
}

public sealed class ExportOnnxTests(TrainedModelFixture trained) : IClassFixture<TrainedModelFixture>, IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("mlnetext-export-onnx-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    /// <summary>The OnnxModel entries of a model file: name and content (int32 count, then the graph).</summary>
    private static List<(string Name, byte[] Content)> OnnxEntries(string modelPath)
    {
        using var archive = ZipFile.OpenRead(modelPath);
        return [.. archive.Entries.Where(e => e.FullName.EndsWith("/OnnxModel", StringComparison.Ordinal)).Select(e =>
        {
            using var stream = e.Open();
            using var copy = new MemoryStream();
            stream.CopyTo(copy);
            return (e.FullName, copy.ToArray());
        })];
    }

    /// <summary>A copy of the trained model whose OnnxModel entries are replaced by <paramref name="entries"/>.</summary>
    private string ModelWith(string name, params (string Name, byte[] Content)[] entries)
    {
        string path = Path.Combine(_folder, name);
        File.Copy(trained.ModelPath, path);
        using var archive = ZipFile.Open(path, ZipArchiveMode.Update);
        foreach (var entry in archive.Entries.Where(e => e.FullName.EndsWith("/OnnxModel", StringComparison.Ordinal)).ToList())
            entry.Delete();
        foreach (var (entryName, content) in entries)
        {
            using var stream = archive.CreateEntry(entryName).Open();
            stream.Write(content);
        }
        return path;
    }

    private static void ShouldFailWithOneLine((int ExitCode, string Output, string Error) result, string expected)
    {
        result.ExitCode.Should().Be(1, result.Output);
        var lines = result.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        lines.Should().ContainSingle().Which.Should().StartWith("mlnetext: error: ").And.Contain(expected);
    }

    [Fact]
    public void Writes_the_saved_graph_which_ONNX_Runtime_opens()
    {
        string output = Path.Combine(_folder, "model.onnx");

        var result = CliProcess.Run(_folder, "export-onnx", "--model", trained.ModelPath, "--output", output);

        result.ExitCode.Should().Be(0, result.Error);
        result.Output.Should().Contain($"to {output}");
        var entry = OnnxEntries(trained.ModelPath).Should().ContainSingle().Subject;
        File.ReadAllBytes(output).Should().Equal(entry.Content[4..], "the graph is written as the model file stores it, less the byte count");
        Encoding.UTF8.GetString(File.ReadAllBytes(output)).Should().Contain("mlnetext.state");
        using var session = new InferenceSession(output);
        session.InputMetadata.Keys.Should().Equal("Features");
        session.OutputMetadata.Should().NotBeEmpty();
        Directory.GetFiles(_folder).Should().Equal([output], "the temporary file is renamed into place");
    }

    [Fact]
    public void Several_graphs_need_an_index_and_the_index_chooses_one()
    {
        var entry = OnnxEntries(trained.ModelPath).Single();
        // A second graph with another producer name (same length, so the protobuf stays valid), so that the test can tell which one was written.
        byte[] other = [.. entry.Content];
        int at = other.AsSpan().IndexOf("MLNetExt"u8);
        at.Should().BePositive();
        "mLNetExt"u8.CopyTo(other.AsSpan(at));
        string model = ModelWith("two.zip", ("A/Transform_000/OnnxModel", entry.Content), ("A/Transform_001/OnnxModel", other));
        string output = Path.Combine(_folder, "chosen.onnx");

        var ambiguous = CliProcess.Run(_folder, "export-onnx", "--model", model, "--output", output);
        var chosen = CliProcess.Run(_folder, "export-onnx", "--model", model, "--output", output, "--index", "1");
        var outOfRange = CliProcess.Run(_folder, "export-onnx", "--model", model, "--output", output, "--index", "2");

        ShouldFailWithOneLine(ambiguous, "holds 2 MLNetExt graphs; choose one with --index (0: Features -> ");
        chosen.ExitCode.Should().Be(0, chosen.Error);
        File.ReadAllBytes(output).Should().Equal(other[4..]);
        ShouldFailWithOneLine(outOfRange, "--index 2: the model holds 2 MLNetExt graph(s), numbered 0 to 1");
    }

    [Fact]
    public void A_missing_model_file_is_one_error_line()
    {
        string output = Path.Combine(_folder, "model.onnx");

        var result = CliProcess.Run(_folder, "export-onnx", "--model", Path.Combine(_folder, "absent.zip"), "--output", output);

        ShouldFailWithOneLine(result, "absent.zip' does not exist");
        File.Exists(output).Should().BeFalse();
    }

    [Fact]
    public void A_model_without_MLNetExt_graphs_is_one_error_line()
    {
        string model = ModelWith("plain.zip");
        string output = Path.Combine(_folder, "model.onnx");

        var result = CliProcess.Run(_folder, "export-onnx", "--model", model, "--output", output);

        ShouldFailWithOneLine(result, "holds no MLNetExt ONNX graph");
        File.Exists(output).Should().BeFalse();
    }

    [Fact]
    public void A_file_that_is_not_a_zip_is_one_error_line()
    {
        string model = Path.Combine(_folder, "text.zip");
        File.WriteAllText(model, "not a model");

        var result = CliProcess.Run(_folder, "export-onnx", "--model", model, "--output", Path.Combine(_folder, "model.onnx"));

        ShouldFailWithOneLine(result, "not an ML.NET model file");
    }

    [Theory]
    [InlineData("cut", "declares")]
    [InlineData("count too large", "declares 2147483647 bytes of ONNX graph")]
    [InlineData("count negative", "declares -1 bytes of ONNX graph")]
    [InlineData("shorter than the count", "bytes is not the size of an ONNX graph entry")]
    public void A_truncated_or_inconsistent_entry_is_one_error_line_and_leaves_the_old_output(string damage, string expected)
    {
        byte[] content = OnnxEntries(trained.ModelPath).Single().Content;
        byte[] damaged = damage switch
        {
            "cut" => content[..(content.Length / 2)],
            "count too large" => WithCount(content, int.MaxValue),
            "count negative" => WithCount(content, -1),
            _ => content[..3],
        };
        string model = ModelWith("damaged.zip", ("TransformerChain/Transform_001/Transform_000/OnnxModel", damaged));
        string output = Path.Combine(_folder, "model.onnx");
        File.WriteAllText(output, "an earlier export");

        var result = CliProcess.Run(_folder, "export-onnx", "--model", model, "--output", output);

        ShouldFailWithOneLine(result, expected);
        File.ReadAllText(output).Should().Be("an earlier export");
    }

    private static byte[] WithCount(byte[] content, int count)
    {
        byte[] copy = [.. content];
        BinaryPrimitives.WriteInt32LittleEndian(copy, count);
        return copy;
    }
}
