using System.Buffers.Binary;
using System.Globalization;
using System.IO.Compression;
using Google.Protobuf;
using MLNetExt.Core.Onnx.Protobuf;

namespace MLNetExt.Cli.Tests;

/// <summary>
/// <c>predict</c> and <c>evaluate</c> on a model file whose weights were damaged after training (issue 15): ML.NET's
/// loader runs the ONNX graph as it is, so the damage shows only as a score that is not a finite number, which the CLI
/// reports as the model's fault, naming the model, the dataset line and the cause, instead of writing NaN predictions.
/// </summary>
public sealed class DamagedModelTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("mlnetext-damaged-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private string WritePoints(string name, bool withLabel)
    {
        var random = new Random(11);
        var lines = new List<string> { withLabel ? "x,y,label" : "x,y" };
        for (int i = 0; i < 60; i++)
        {
            double x = random.NextDouble() * 2 - 1, y = random.NextDouble() * 2 - 1;
            lines.Add(string.Create(CultureInfo.InvariantCulture, $"{x:F4},{y:F4}") + (withLabel ? (x > y ? ",true" : ",false") : ""));
        }
        string path = Path.Combine(_folder, name);
        File.WriteAllLines(path, lines);
        return path;
    }

    /// <summary>Trains a small binary MLP, then sets every bias of its ONNX graph to <paramref name="value"/>, so every score is damaged.</summary>
    private string DamagedModel(float value)
    {
        string model = Path.Combine(_folder, "model.zip");
        var train = CliProcess.Run(_folder, "train", "--task", "binary", "--dataset", WritePoints("train.csv", withLabel: true), "--label-col", "label",
            "--epochs", "2", "--hidden", "4", "--seed", "1", "--output", model, "--no-progress");
        train.ExitCode.Should().Be(0, train.Error);

        string damaged = Path.Combine(_folder, "damaged.zip");
        File.Copy(model, damaged);
        using (var archive = ZipFile.Open(damaged, ZipArchiveMode.Update))
        {
            var entry = archive.Entries.Single(e => e.FullName.EndsWith("/OnnxModel", StringComparison.Ordinal));
            byte[] bytes;
            using (var input = entry.Open())
            {
                var buffer = new MemoryStream();
                input.CopyTo(buffer);
                bytes = buffer.ToArray();
            }
            // An OnnxModel entry is an int32 byte count, then the ModelProto.
            var graph = ModelProto.Parser.ParseFrom(bytes.AsSpan(4));
            var biases = graph.Graph.Initializer.Where(i => i.Name.EndsWith("bias", StringComparison.Ordinal)).ToList();
            biases.Should().NotBeEmpty();
            foreach (var bias in biases)
            {
                var values = bias.RawData.ToByteArray();
                for (int at = 0; at < values.Length; at += sizeof(float))
                    BinaryPrimitives.WriteSingleLittleEndian(values.AsSpan(at), value);
                bias.RawData = ByteString.CopyFrom(values);
            }
            byte[] proto = graph.ToByteArray();
            entry.Delete();
            using var output = archive.CreateEntry(entry.FullName).Open();
            Span<byte> count = stackalloc byte[4];
            BinaryPrimitives.WriteInt32LittleEndian(count, proto.Length);
            output.Write(count);
            output.Write(proto);
        }
        return damaged;
    }

    [Fact]
    public void PredictRefusesNaNScoresNamingTheModelAndTheLine()
    {
        string model = DamagedModel(float.NaN);
        string output = Path.Combine(_folder, "predictions.csv");
        File.WriteAllText(output, "earlier predictions\n");

        var predict = CliProcess.Run(_folder, "predict", "--model", model, "--dataset", WritePoints("new.csv", withLabel: false), "--output", output);

        predict.ExitCode.Should().Be(1);
        predict.Error.Should().Contain("new.csv', line 2: model '").And.Contain("damaged.zip' gave a score of NaN on row 1")
            .And.Contain("weights are not finite numbers");
        File.ReadAllText(output).Should().Be("earlier predictions\n", "a failed predict leaves the earlier file as it was");
    }

    [Fact]
    public void EvaluateRefusesInfiniteScoresNamingTheModel()
    {
        string model = DamagedModel(float.PositiveInfinity);

        var evaluate = CliProcess.Run(_folder, "evaluate", "--model", model, "--dataset", WritePoints("test.csv", withLabel: true));

        evaluate.ExitCode.Should().Be(1);
        evaluate.Error.Should().Contain("test.csv', line 2: model '").And.Contain("damaged.zip' gave a score of");
        evaluate.Error.Should().MatchRegex("score of (NaN|[+-]infinity) on row 1");
    }
}
