using System.Text.Json;
using MLNetExt.Core;
using MLNetExt.Core.Autograd;
using MLNetExt.Core.Modules;
using MLNetExt.Core.Modules.Recurrent;
using MLNetExt.Core.Ops;
using MLNetExt.Trainers.Sequence;

namespace MLNetExt.Trainers.Tests.Sequence;

/// <summary>
/// Embedding → LSTM/GRU over padded sequences → <see cref="SequencePoolingOp"/> → linear head, against PyTorch 1.13
/// (pack_padded_sequence, pooling over each sequence's valid steps): logits and every parameter's gradient.
/// Reference data: generate_sequence_pooling.py.
/// </summary>
public class SequencePoolingParityTests
{
    [Theory]
    [InlineData("lstm_bidirectional_last")]
    [InlineData("lstm_mean")]
    [InlineData("gru_bidirectional_max")]
    [InlineData("gru_last")]
    public void MatchesPyTorch(string name)
    {
        using var document = JsonDocument.Parse(File.ReadAllText(ReferencePath(name)));
        var root = document.RootElement;
        var meta = root.GetProperty("meta");
        int vocabulary = meta.GetProperty("vocabulary").GetInt32(), embeddingDim = meta.GetProperty("embedding_dim").GetInt32();
        int hidden = meta.GetProperty("hidden").GetInt32(), classes = meta.GetProperty("classes").GetInt32(), layers = meta.GetProperty("layers").GetInt32();
        bool bidirectional = meta.GetProperty("bidirectional").GetBoolean();
        var pooling = Enum.Parse<SequencePooling>(meta.GetProperty("pooling").GetString()!);
        var embedding = new Embedding(vocabulary, embeddingDim, paddingIdx: 0);
        RecurrentBase rnn = meta.GetProperty("cell").GetString() == "Lstm"
            ? new LSTM(embeddingDim, hidden, layers, bidirectional: bidirectional)
            : new GRU(embeddingDim, hidden, layers, bidirectional: bidirectional);
        var head = new Linear((bidirectional ? 2 : 1) * hidden, classes);
        var modules = new (string Prefix, Module Module)[] { ("embedding", embedding), ("rnn", rnn), ("head", head) };
        foreach (var (prefix, module) in modules)
            foreach (var (key, parameter) in module.NamedParameters())
                Read(root, $"{prefix}.{key}").CopyTo(parameter.Span);
        var ids = Load(root, "ids");
        int[] lengths = [.. Read(root, "lengths").Select(v => (int)v)];
        var tape = new Tape();

        var outputs = rnn.Forward(embedding.Forward(ids, tape), lengths, null, null, tape).Output;
        var logits = head.Forward(SequencePoolingOp.Forward(outputs, lengths, pooling, bidirectional ? 2 : 1, tape), tape);
        tape.Backward(TensorOps.Sum(TensorOps.Multiply(logits, Load(root, "w"), tape), tape));

        Close(logits.Span.ToArray(), Read(root, "logits"), "logits");
        foreach (var (prefix, module) in modules)
            foreach (var (key, parameter) in module.NamedParameters())
                Close(parameter.Grad!.Span.ToArray(), Read(root, $"grad.{prefix}.{key}"), $"the gradient of {prefix}.{key}");
    }

    private static void Close(float[] actual, float[] expected, string what)
    {
        actual.Should().HaveCount(expected.Length, what);
        for (int i = 0; i < actual.Length; i++)
            actual[i].Should().BeApproximately(expected[i], 1e-6f + 1e-5f * Math.Abs(expected[i]), $"{what}[{i}]");
    }

    private static float[] Read(JsonElement root, string name) => ReferenceJson.Read(root, name);

    private static Tensor Load(JsonElement root, string name) => ReferenceJson.Load(root, name);

    private static string ReferencePath(string name) => ReferenceJson.PathOf("Sequence", name);
}
