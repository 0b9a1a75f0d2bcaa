using MLNetExt.Core;
using MLNetExt.Trainers.Sequence;
using MLNetExt.Trainers.SequenceToSequence;
using static MLNetExt.Core.Tests.Onnx.OnnxRuntimeCheck;

namespace MLNetExt.Trainers.Tests.SequenceToSequence;

/// <summary>
/// The encoder and decoder-step graphs in ONNX Runtime against the engine, for each cell, score and feeding variant
/// and a shared embedding: every output within 1e-5 on a batch of sources of different lengths, and greedy decoding
/// driven through the two graphs giving the engine's output.
/// </summary>
public class SequenceToSequenceOnnxTests
{
    public static TheoryData<SequenceCellType, SequenceToSequenceAttention, bool, bool, bool> Variants() => new()
    {
        { SequenceCellType.Lstm, SequenceToSequenceAttention.Additive, true, true, false },
        { SequenceCellType.Gru, SequenceToSequenceAttention.General, false, true, false },
        { SequenceCellType.Lstm, SequenceToSequenceAttention.Dot, true, false, false },
        { SequenceCellType.Gru, SequenceToSequenceAttention.Additive, true, true, true },
    };

    private static readonly int[][] Sources = [[4, 5, 6, 7, 3], [8, 3], [5, 5, 9, 3], [3]];

    private static SequenceToSequenceNetwork Network(SequenceCellType cell, SequenceToSequenceAttention attention, bool bidirectional, bool feeding, bool shared)
    {
        var network = new SequenceToSequenceNetwork(new SequenceToSequenceArchitecture
        {
            SourceVocabularySize = 10,
            TargetVocabularySize = shared ? 10 : 8,
            EmbeddingSize = 5,
            HiddenSize = 6,
            Cell = cell,
            Attention = attention,
            BidirectionalEncoder = bidirectional,
            InputFeeding = feeding,
            SharedEmbedding = shared,
            Dropout = 0,
        }, new RandomSource(5));
        // Random weights often end at once; a low <eos> bias makes the outputs run for several steps.
        network.NamedParameters().Single(p => p.Key == "output.bias").Value.Span[TokenVocabulary.EndOfSequence] = -2f;
        network.Eval();
        return network;
    }

    private static (long[] Ids, int[] Lengths, int Steps) Padded(int[][] sources)
    {
        int steps = sources.Max(s => s.Length);
        var ids = new long[sources.Length * steps];
        for (int b = 0; b < sources.Length; b++)
            for (int t = 0; t < sources[b].Length; t++)
                ids[b * steps + t] = sources[b][t];
        return (ids, [.. sources.Select(s => s.Length)], steps);
    }

    [Theory]
    [MemberData(nameof(Variants))]
    public void Encoder_and_decoder_step_match_the_engine(SequenceCellType cell, SequenceToSequenceAttention attention, bool bidirectional, bool feeding, bool shared)
    {
        var network = Network(cell, attention, bidirectional, feeding, shared);
        var (ids, lengths, steps) = Padded(Sources);
        int batch = Sources.Length, h = network.Architecture.HiddenSize;
        var encoded = network.Encode(Sources);

        var encoderOutputs = Run(SequenceToSequenceOnnx.ExportEncoder(network), ("source_ids", ids, [batch, steps]), ("source_lengths", lengths, [batch]));

        ShouldMatch(encoderOutputs[0].Values, encoded.Outputs.Span, what: "encoder_outputs");
        ShouldMatch(encoderOutputs[1].Values, encoded.Initial.Span, what: "initial_hidden");

        // The second step, from a state the first left: every input of the step graph is non-trivial.
        var state = network.Step(encoded, network.Start(encoded), [2, 2, 2, 2]).Next;
        long[] previous = [4, 7, 5, 3];
        var step = network.Step(encoded, state, [.. previous.Select(p => (int)p)]);
        var inputs = new List<(string, object, int[])> { ("previous_tokens", previous, [batch]), ("hidden", state.Hidden.Span.ToArray(), [batch, h]) };
        if (state.Cell is not null) inputs.Add(("cell", state.Cell.Span.ToArray(), [batch, h]));
        if (state.Feed is not null) inputs.Add(("feed", state.Feed.Span.ToArray(), [batch, h]));
        inputs.Add(("encoder_outputs", encoded.Outputs.Span.ToArray(), [batch, steps, h]));
        inputs.Add(("source_lengths", lengths, [batch]));

        var stepOutputs = Run(SequenceToSequenceOnnx.ExportDecoderStep(network), [.. inputs]);

        ShouldMatch(stepOutputs[0].Values, network.Logits(step.Attentional).Span, what: "logits");
        ShouldMatch(stepOutputs[1].Values, step.Weights.Span, what: "attention");
        ShouldMatch(stepOutputs[2].Values, step.Next.Hidden.Span, what: "next_hidden");
        int at = 3;
        if (step.Next.Cell is not null) ShouldMatch(stepOutputs[at++].Values, step.Next.Cell.Span, what: "next_cell");
        if (step.Next.Feed is not null) ShouldMatch(stepOutputs[at++].Values, step.Next.Feed.Span, what: "next_feed");
        stepOutputs.Should().HaveCount(at);
    }

    [Theory]
    [MemberData(nameof(Variants))]
    public void Greedy_decoding_through_the_graphs_gives_the_engines_output(SequenceCellType cell, SequenceToSequenceAttention attention, bool bidirectional, bool feeding, bool shared)
    {
        var network = Network(cell, attention, bidirectional, feeding, shared);
        byte[] encoderGraph = SequenceToSequenceOnnx.ExportEncoder(network), stepGraph = SequenceToSequenceOnnx.ExportDecoderStep(network);
        int h = network.Architecture.HiddenSize, produced = 0;
        foreach (var source in Sources)
        {
            var expected = BeamSearch.Decode(network, source, new DecodingOptions { BeamWidth = 1, MaximumLength = 8 }).Tokens;

            var encoded = Run(encoderGraph, ("source_ids", source.Select(id => (long)id).ToArray(), [1, source.Length]), ("source_lengths", new[] { source.Length }, [1]));
            float[] hidden = encoded[1].Values, cellState = new float[h], feed = new float[h];
            long previous = TokenVocabulary.BeginOfSequence;
            var tokens = new List<int>();
            for (int t = 0; t <= 8; t++)
            {
                var inputs = new List<(string, object, int[])> { ("previous_tokens", new[] { previous }, [1]), ("hidden", hidden, [1, h]) };
                if (cell == SequenceCellType.Lstm) inputs.Add(("cell", cellState, [1, h]));
                bool feeds = attention != SequenceToSequenceAttention.Additive && feeding;
                if (feeds) inputs.Add(("feed", feed, [1, h]));
                inputs.Add(("encoder_outputs", encoded[0].Values, [1, source.Length, h]));
                inputs.Add(("source_lengths", new[] { source.Length }, [1]));
                var outputs = Run(stepGraph, [.. inputs]);
                var logits = outputs[0].Values;
                // Padding, <unk> and <bos> are never produced.
                int best = Array.IndexOf(logits, logits.Skip(TokenVocabulary.EndOfSequence).Max(), TokenVocabulary.EndOfSequence);
                if (best == TokenVocabulary.EndOfSequence || t == 8)
                    break;
                tokens.Add(best);
                previous = best;
                hidden = outputs[2].Values;
                int at = 3;
                if (cell == SequenceCellType.Lstm) cellState = outputs[at++].Values;
                if (feeds) feed = outputs[at].Values;
            }

            tokens.Should().Equal(expected);
            produced += tokens.Count;
        }
        produced.Should().BeGreaterThan(Sources.Length, "the outputs are not all empty, so the comparison compares steps");
    }

    [Theory]
    [MemberData(nameof(Variants))]
    public void The_greedy_decoder_graph_gives_the_engines_greedy_output(SequenceCellType cell, SequenceToSequenceAttention attention, bool bidirectional, bool feeding, bool shared)
    {
        var network = Network(cell, attention, bidirectional, feeding, shared);
        byte[] greedy = SequenceToSequenceOnnx.ExportGreedyDecoder(network);
        using var session = new Microsoft.ML.OnnxRuntime.InferenceSession(greedy);
        int produced = 0;
        foreach (var source in Sources)
        {
            var expected = BeamSearch.Decode(network, source, new DecodingOptions { BeamWidth = 1 }).Tokens;

            using var results = session.Run([Microsoft.ML.OnnxRuntime.NamedOnnxValue.CreateFromTensor("source_ids",
                new Microsoft.ML.OnnxRuntime.Tensors.DenseTensor<long>(source.Select(id => (long)id).ToArray(), [source.Length]))]);
            var ids = results.Single().AsTensor<long>().ToArray();

            var tokens = ids.TakeWhile(id => id != TokenVocabulary.EndOfSequence).Select(id => (int)id).ToArray();
            tokens.Should().Equal(expected);
            (ids.Length == tokens.Length + 1 || ids.Length == 2 * source.Length + 10).Should().BeTrue("the output ends at <eos> or at the length limit");
            produced += tokens.Length;
        }
        produced.Should().BeGreaterThan(Sources.Length);
    }
}
