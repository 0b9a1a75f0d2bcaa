using MLNetExt.Core;
using MLNetExt.Core.Modules.Attention;
using MLNetExt.Core.Onnx;
using MLNetExt.Trainers.Attention;
using MLNetExt.Trainers.Sequence;
using static MLNetExt.Core.Tests.Onnx.OnnxRuntimeCheck;

namespace MLNetExt.Trainers.Tests.Attention;

/// <summary>The attention classifiers' graphs in ONNX Runtime against the engine: logits and attention weights on padded batches.</summary>
public class AttentionNetworkOnnxTests
{
    private const int Vocabulary = 20;

    [Theory]
    [InlineData(AttentionClassifierKind.RecurrentAttention, SequenceCellType.Lstm, TransformerPooling.Mean, PositionalEncodingKind.Sinusoidal, false)]
    [InlineData(AttentionClassifierKind.RecurrentAttention, SequenceCellType.Gru, TransformerPooling.Mean, PositionalEncodingKind.Sinusoidal, false)]
    [InlineData(AttentionClassifierKind.Transformer, SequenceCellType.Gru, TransformerPooling.Mean, PositionalEncodingKind.Sinusoidal, false)]
    [InlineData(AttentionClassifierKind.Transformer, SequenceCellType.Gru, TransformerPooling.First, PositionalEncodingKind.Learned, true)]
    public void Sequence_networks_match_the_engine(AttentionClassifierKind kind, SequenceCellType cell, TransformerPooling pooling, PositionalEncodingKind position, bool normFirst)
    {
        var architecture = new AttentionArchitecture
        {
            Kind = kind, Cell = cell, VocabularySize = Vocabulary, EmbeddingDimension = 8, OutputCount = 3, HiddenSize = 6, AttentionSize = 5,
            Heads = 2, EncoderLayers = 2, FeedforwardSize = 16, MaxLength = 12, Pooling = pooling, PositionalEncoding = position, NormFirst = normFirst,
            Activation = normFirst ? TransformerActivation.Gelu : TransformerActivation.Relu, Dropout = 0.1f,
        };
        var network = AttentionNetworks.Create(architecture, new RandomSource(1));
        network.Eval();
        const int steps = 7;
        int[] lengths = [7, 3, 1, 5];
        var random = new RandomSource(2);
        var packed = new float[lengths.Length * (1 + steps)];
        var tokens = new uint[lengths.Length * steps];
        for (int b = 0; b < lengths.Length; b++)
        {
            packed[b * (1 + steps)] = lengths[b];
            for (int t = 0; t < lengths[b]; t++)
            {
                tokens[b * steps + t] = (uint)(1 + random.NextInt(Vocabulary - 1));
                packed[b * (1 + steps) + 1 + t] = tokens[b * steps + t];
            }
        }
        var expected = network.Forward(Tensor.FromValues(packed, lengths.Length, 1 + steps));

        var graph = new OnnxGraphBuilder();
        var tokenInput = graph.AddInput("tokens", OnnxElementType.UInt32, ["N", steps]);
        var lengthInput = graph.AddInput("lengths", OnnxElementType.Int32, ["N"]);
        var exported = AttentionNetworkOnnx.AddSequenceNetwork(graph, network, tokenInput, lengthInput);
        graph.AddOutput(exported.Logits, "logits");
        graph.AddOutput(exported.Weights!, "weights");

        var results = Run(graph.ToBytes(), ("tokens", tokens, [lengths.Length, steps]), ("lengths", lengths, [lengths.Length]));
        ShouldMatch(results[0].Values, expected.Span, what: "logits");
        var engineWeights = network is RecurrentAttentionNetwork recurrent ? recurrent.LastAttentionWeights! : ((TransformerClassifierNetwork)network).LastAttentionWeights!;
        ShouldMatch(results[1].Values, engineWeights.Span, what: "weights");
    }

    [Fact]
    public void Hierarchical_network_matches_the_engine_with_empty_and_absent_sentences()
    {
        var architecture = new AttentionArchitecture
        {
            Kind = AttentionClassifierKind.Hierarchical, VocabularySize = Vocabulary, EmbeddingDimension = 6, OutputCount = 2, HiddenSize = 5,
            SentenceHiddenSize = 4, AttentionSize = 3, MaxSentences = 3, MaxWords = 4,
        };
        var network = (HierarchicalAttentionNetwork)AttentionNetworks.Create(architecture, new RandomSource(3));
        network.Eval();
        int[] counts = [3, 1, 2];
        int[] sentenceLengths = [4, 2, 1, 3, 0, 0, 0, 2, 0];  // document 2's first sentence is empty
        var random = new RandomSource(4);
        int width = network.PackedRowWidth;
        var packed = new float[counts.Length * width];
        var tokens = new long[counts.Length * 3 * 4];
        for (int b = 0; b < counts.Length; b++)
        {
            packed[b * width] = counts[b];
            for (int s = 0; s < 3; s++)
            {
                packed[b * width + 1 + s] = sentenceLengths[b * 3 + s];
                for (int t = 0; t < sentenceLengths[b * 3 + s]; t++)
                {
                    int id = 1 + random.NextInt(Vocabulary - 1);
                    tokens[(b * 3 + s) * 4 + t] = id;
                    packed[b * width + 1 + 3 + s * 4 + t] = id;
                }
            }
        }
        var expected = network.Forward(Tensor.FromValues(packed, counts.Length, width));

        var graph = new OnnxGraphBuilder();
        var exported = AttentionNetworkOnnx.AddHierarchicalNetwork(graph, network,
            graph.AddInput("tokens", OnnxElementType.Int64, ["N", 3, 4]),
            graph.AddInput("sentence_lengths", OnnxElementType.Int32, ["N", 3]),
            graph.AddInput("sentence_counts", OnnxElementType.Int32, ["N"]));
        graph.AddOutput(exported.Logits, "logits");
        graph.AddOutput(exported.Weights!, "word_weights");
        graph.AddOutput(exported.SentenceWeights!, "sentence_weights");

        var results = Run(graph.ToBytes(), ("tokens", tokens, [3, 3, 4]), ("sentence_lengths", sentenceLengths, [3, 3]), ("sentence_counts", counts, [3]));
        ShouldMatch(results[0].Values, expected.Span, what: "logits");
        ShouldMatch(results[1].Values, network.LastWordWeights!.Span, what: "word weights");
        ShouldMatch(results[2].Values, network.LastSentenceWeights!.Span, what: "sentence weights");
    }
}
