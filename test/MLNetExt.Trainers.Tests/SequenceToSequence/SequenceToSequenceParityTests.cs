using System.Text.Json;
using MLNetExt.Core;
using MLNetExt.Core.Autograd;
using MLNetExt.Core.Losses;
using MLNetExt.Trainers.Sequence;
using MLNetExt.Trainers.SequenceToSequence;

namespace MLNetExt.Trainers.Tests.SequenceToSequence;

/// <summary>
/// The encoder–decoder against the same PyTorch 1.13 module (reference data: generate_seq2seq_models.py, which draws
/// the weights in float32, stores them by parameter name and computes in float64 from them): the teacher-forced loss
/// of a batch of ragged sources and targets (padding masked in attention and ignored by the loss, label smoothing),
/// every parameter's gradient, and the first step's attention weights; for each cell, score and feeding variant.
/// Tolerance: 1e-5 relative plus 1e-6 of the tensor's largest value (float32 accumulation, as the other parity tests).
/// </summary>
public class SequenceToSequenceParityTests
{
    [Theory]
    [InlineData("lstm_additive_bidirectional")]
    [InlineData("gru_general_feeding")]
    [InlineData("lstm_dot_no_feeding")]
    public void Loss_every_gradient_and_attention_weights_match_PyTorch(string name)
    {
        using var document = JsonDocument.Parse(File.ReadAllText(ReferenceJson.PathOf("SequenceToSequence", name)));
        var root = document.RootElement;
        var meta = root.GetProperty("meta");
        var network = new SequenceToSequenceNetwork(new SequenceToSequenceArchitecture
        {
            SourceVocabularySize = meta.GetProperty("source_vocabulary").GetInt32(),
            TargetVocabularySize = meta.GetProperty("target_vocabulary").GetInt32(),
            EmbeddingSize = meta.GetProperty("embedding").GetInt32(),
            HiddenSize = meta.GetProperty("hidden").GetInt32(),
            AttentionSize = meta.GetProperty("attention_size").GetInt32(),
            Cell = Enum.Parse<SequenceCellType>(meta.GetProperty("cell").GetString()!),
            BidirectionalEncoder = meta.GetProperty("bidirectional").GetBoolean(),
            Attention = Enum.Parse<SequenceToSequenceAttention>(meta.GetProperty("attention").GetString()!),
            InputFeeding = meta.GetProperty("input_feeding").GetBoolean(),
            Dropout = 0,
        }, new RandomSource(1));
        var parameters = network.NamedParameters().ToList();
        parameters.Select(p => p.Key).Should().BeEquivalentTo(root.EnumerateObject().Select(p => p.Name).Where(n => n.StartsWith("param.", StringComparison.Ordinal)).Select(n => n["param.".Length..]),
            "the network has PyTorch's parameter names");
        foreach (var (key, parameter) in parameters)
            ReferenceJson.Read(root, "param." + key).CopyTo(parameter.Span);
        int[][] sources = [.. meta.GetProperty("sources").EnumerateArray().Select(s => s.EnumerateArray().Select(v => v.GetInt32()).ToArray())];
        int[][] targets = [.. meta.GetProperty("targets").EnumerateArray().Select(s => s.EnumerateArray().Select(v => v.GetInt32()).ToArray())];
        var tape = new Tape();

        var loss = network.Loss(sources, targets, new CrossEntropyLoss(ignoreIndex: TokenVocabulary.Padding, labelSmoothing: (float)meta.GetProperty("smoothing").GetDouble()), tape);
        tape.Backward(loss);

        Close([loss.Data[0]], ReferenceJson.Read(root, "loss"), "the loss");
        // A gradient tensor of small values (attention's W when the scores barely move the loss) keeps the rounding of
        // sums whose terms are the size of the network's other gradients: its floor is relative to the largest of all.
        float gradientScale = parameters.Max(p => ReferenceJson.Read(root, "grad." + p.Key).Max(MathF.Abs));
        foreach (var (key, parameter) in parameters)
            Close(parameter.Grad!.Span.ToArray(), ReferenceJson.Read(root, "grad." + key), $"the gradient of {key}", gradientScale);
        var encoded = network.Encode(sources);
        var first = network.Step(encoded, network.Start(encoded), Enumerable.Repeat(TokenVocabulary.BeginOfSequence, sources.Length).ToArray());
        Close(first.Weights.Span.ToArray(), ReferenceJson.Read(root, "first_weights"), "the first step's attention weights");
        int steps = encoded.PaddingMask.Length / sources.Length;
        for (int b = 0; b < sources.Length; b++)
            first.Weights.Span.Slice(b * steps + sources[b].Length, steps - sources[b].Length).ToArray().Sum().Should().Be(0f, "padding gets no attention");
    }

    private static void Close(float[] actual, float[] expected, string what, float? scale = null)
    {
        actual.Should().HaveCount(expected.Length, what);
        scale ??= expected.Max(MathF.Abs);
        for (int i = 0; i < expected.Length; i++)
            Math.Abs(actual[i] - expected[i]).Should().BeLessThanOrEqualTo(1e-5f * Math.Abs(expected[i]) + 1e-6f * scale.Value, $"{what}[{i}]");
    }
}
