using MLNetExt.Core.Modules;
using MLNetExt.Core.Modules.Attention;
using MLNetExt.Core.Modules.Recurrent;
using MLNetExt.Core.Onnx;

namespace MLNetExt.Trainers.Attention;

/// <summary>The values an exported attention classifier produces.</summary>
/// <param name="Logits">[N, C].</param>
/// <param name="Weights">The attention weights: [N, T] (recurrent; the transformer's last-layer weights read by its pooling), [N, S, W] word weights (hierarchical).</param>
/// <param name="SentenceWeights">[N, S] for the hierarchical network; null otherwise.</param>
internal sealed record AttentionNetworkOnnxOutput(OnnxValue Logits, OnnxValue? Weights, OnnxValue? SentenceWeights);

/// <summary>
/// ONNX export of the attention classifier networks, over token ids and int32 lengths, with the attention weights as
/// extra values a caller may publish as graph outputs.
/// </summary>
/// <remarks>
/// <para>Recurrent and transformer networks read tokens [N, T] (UInt32, Int64, Int32 or Float ids; those past a row's
/// length must still be valid ids, 0 being the usual padding) and lengths int32 [N] in [1, T]. The hierarchical
/// network reads tokens [N, S, W], sentence lengths int32 [N, S] in [0, W] and sentence counts int32 [N] in [1, S].</para>
/// <para>Each layer emits its own nodes (see the Core exports); initializers keep the module tree's PyTorch names.
/// An empty sentence is run over one padding step and its word weights and vector are multiplied by 0, as the engine
/// masks it entirely (ONNX's <c>Softmax</c> of a row of −∞ would be NaN).</para>
/// </remarks>
internal static class AttentionNetworkOnnx
{
    /// <summary>Adds the recurrent or transformer network's nodes over <paramref name="tokens"/> [N, T] and <paramref name="lengths"/> int32 [N].</summary>
    /// <exception cref="ArgumentException">The network is hierarchical, or an input's type or shape does not suit it.</exception>
    public static AttentionNetworkOnnxOutput AddSequenceNetwork(OnnxGraphBuilder graph, Module network, OnnxValue tokens, OnnxValue lengths)
    {
        ArgumentNullException.ThrowIfNull(graph);
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(tokens);
        ArgumentNullException.ThrowIfNull(lengths);
        if (tokens.Rank != 2)
            throw new ArgumentException($"Token ids must be [N, T] but got {tokens}.", nameof(tokens));
        RequireLengths(lengths, 1, nameof(lengths));
        var modules = Children(network);
        var embedded = OnnxExport.Module(graph, modules["embedding"], tokens, "embedding");  // [N, T, E]
        switch (network)
        {
            case RecurrentAttentionNetwork:
            {
                var states = ((RecurrentBase)modules["rnn"]).ExportOnnx(graph, embedded, lengths, "rnn").Output;  // [N, T, D·H]
                var pooled = ((AttentionPooling)modules["attention"]).ExportOnnx(graph, states, lengths, null, "attention");
                return new AttentionNetworkOnnxOutput(Head(graph, modules, pooled.Context), pooled.Weights, null);
            }
            case TransformerClassifierNetwork transformer:
            {
                var architecture = transformer.Architecture;
                var scaled = embedded.As(graph.AddNode("Mul", [embedded.Name, graph.FloatConstant(MathF.Sqrt(architecture.EmbeddingDimension))], "embedding"));
                var positioned = OnnxExport.Module(graph, modules["position"], scaled, "position");
                var attended = transformer.Encoder.ExportOnnxWithAttention(graph, positioned, lengths, causal: false, "encoder");
                var encoded = attended.Output;  // [N, T, d]
                string weights = attended.AveragedWeights.Name;  // [N, T, T]
                string pooled, tokenWeights;
                if (architecture.Pooling == TransformerPooling.First)
                {
                    string first = graph.AddInitializer("onnx_first_step", [0L], []).Name;
                    pooled = graph.AddNode("Gather", [encoded.Name, first], "pool", OnnxAttribute.Int("axis", 1));
                    tokenWeights = graph.AddNode("Gather", [weights, first], "pool", OnnxAttribute.Int("axis", 1));
                }
                else
                {
                    string mask = ValidStepMask(graph, encoded.Name, lengths);
                    pooled = MeanOverValidSteps(graph, encoded.Name, mask, lengths);
                    tokenWeights = MeanOverValidSteps(graph, weights, mask, lengths);
                }
                var features = encoded.As(pooled, shape: [encoded.Shape[0], architecture.EmbeddingDimension]);
                return new AttentionNetworkOnnxOutput(Head(graph, modules, features), encoded.As(tokenWeights, shape: [encoded.Shape[0], encoded.Shape[1]]), null);
            }
            default:
                throw new ArgumentException($"{network.GetType().Name} is not a recurrent or transformer attention network.", nameof(network));
        }
    }

    /// <summary>
    /// Adds the hierarchical network's nodes over <paramref name="tokens"/> [N, S, W], <paramref name="sentenceLengths"/>
    /// int32 [N, S] and <paramref name="sentenceCounts"/> int32 [N].
    /// </summary>
    /// <exception cref="ArgumentException">An input's type or shape does not suit the network.</exception>
    public static AttentionNetworkOnnxOutput AddHierarchicalNetwork(OnnxGraphBuilder graph, HierarchicalAttentionNetwork network,
        OnnxValue tokens, OnnxValue sentenceLengths, OnnxValue sentenceCounts)
    {
        ArgumentNullException.ThrowIfNull(graph);
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(tokens);
        var architecture = network.Architecture;
        int sentences = architecture.MaxSentences, words = architecture.MaxWords;
        if (tokens.Rank != 3 || !tokens.Shape[1].Equals(OnnxDim.Fixed(sentences)) || !tokens.Shape[2].Equals(OnnxDim.Fixed(words)))
            throw new ArgumentException($"Token ids must be [N, {sentences}, {words}] but got {tokens}.", nameof(tokens));
        RequireLengths(sentenceLengths, 2, nameof(sentenceLengths));
        RequireLengths(sentenceCounts, 1, nameof(sentenceCounts));
        var modules = Children(network);
        OnnxDim sentenceRows = OnnxDim.Named(tokens.Shape[0] + "_sentences"), batch = tokens.Shape[0];

        var wordIds = tokens.As(graph.AddNode("Reshape", [tokens.Name, graph.Int64Constant(-1, words)], "words"), shape: [sentenceRows, words]);
        var embedded = OnnxExport.Module(graph, modules["embedding"], wordIds, "embedding");  // [N·S, W, E]
        string lengths = graph.AddNode("Reshape", [sentenceLengths.Name, graph.Int64Constant(-1)], "words");  // [N·S]
        // An empty sentence runs over one padding step; its weights and vector are then zeroed.
        var runLengths = sentenceLengths.As(graph.AddNode("Max", [lengths, graph.AddInitializer("onnx_one_word", [1], []).Name], "words"), shape: [sentenceRows]);
        string nonEmpty = graph.AddNode("Cast", [graph.AddNode("Greater", [lengths, graph.AddInitializer("onnx_no_word", [0], []).Name], "words")], "words",
            OnnxAttribute.Int("to", (long)OnnxElementType.Float));
        string nonEmptyColumn = graph.AddNode("Unsqueeze", [nonEmpty, graph.Int64Constant(1)], "words");  // [N·S, 1]
        var wordStates = ((RecurrentBase)modules["word_rnn"]).ExportOnnx(graph, embedded, runLengths, "word_rnn").Output;
        var wordPooled = ((AttentionPooling)modules["word_attention"]).ExportOnnx(graph, wordStates, runLengths, null, "word_attention");
        string sentenceVectors = graph.AddNode("Mul", [wordPooled.Context.Name, nonEmptyColumn], "words");
        string wordWeights = graph.AddNode("Mul", [wordPooled.Weights.Name, nonEmptyColumn], "words");
        int wordWidth = architecture.Directions * architecture.HiddenSize;
        var documents = tokens.As(graph.AddNode("Reshape", [sentenceVectors, graph.Int64Constant(-1, sentences, wordWidth)], "sentences"),
            OnnxElementType.Float, [batch, sentences, wordWidth]);
        var sentenceStates = ((RecurrentBase)modules["sentence_rnn"]).ExportOnnx(graph, documents, sentenceCounts, "sentence_rnn").Output;
        var documentPooled = ((AttentionPooling)modules["sentence_attention"]).ExportOnnx(graph, sentenceStates, sentenceCounts, null, "sentence_attention");
        var wordWeightsByDocument = documents.As(graph.AddNode("Reshape", [wordWeights, graph.Int64Constant(-1, sentences, words)], "words"), shape: [batch, sentences, words]);
        return new AttentionNetworkOnnxOutput(Head(graph, modules, documentPooled.Context), wordWeightsByDocument, documentPooled.Weights);
    }

    private static Dictionary<string, Module> Children(Module network) => network.Children().ToDictionary(c => c.Key, c => c.Value, StringComparer.Ordinal);

    private static OnnxValue Head(OnnxGraphBuilder graph, Dictionary<string, Module> modules, OnnxValue features)
    {
        if (modules.TryGetValue("dropout", out var dropout)) features = OnnxExport.Module(graph, dropout, features, "dropout");
        return OnnxExport.Module(graph, modules["head"], features, "head");
    }

    // Shapes: values [N, T, ·], lengths [N] → [N, T, 1] float: 1 at steps t < ℓ, 0 after.
    private static string ValidStepMask(OnnxGraphBuilder graph, string values, OnnxValue lengths)
    {
        string steps = graph.AddNode("Slice", [graph.AddNode("Shape", [values], "pool"), graph.Int64Constant(1), graph.Int64Constant(2)], "pool");
        // Range reads scalars: rank-0 start, limit and delta.
        string positions = graph.AddNode("Range", [graph.AddInitializer("onnx_pool_zero", [0], []).Name,
            graph.AddNode("Cast", [graph.AddNode("Squeeze", [steps, graph.Int64Constant(0)], "pool")], "pool", OnnxAttribute.Int("to", (long)OnnxElementType.Int32)),
            graph.AddInitializer("onnx_pool_one", [1], []).Name], "pool");  // [T]
        string valid = graph.AddNode("Less", [positions, graph.AddNode("Unsqueeze", [lengths.Name, graph.Int64Constant(1)], "pool")], "pool");  // [N, T]
        return graph.AddNode("Cast", [graph.AddNode("Unsqueeze", [valid, graph.Int64Constant(2)], "pool")], "pool", OnnxAttribute.Int("to", (long)OnnxElementType.Float));
    }

    // Shapes: values [N, T, K], mask [N, T, 1], lengths [N] → Σ_{t < ℓ} values[:, t] / ℓ, [N, K].
    private static string MeanOverValidSteps(OnnxGraphBuilder graph, string values, string mask, OnnxValue lengths)
    {
        string sum = graph.AddNode("ReduceSum", [graph.AddNode("Mul", [values, mask], "pool"), graph.Int64Constant(1)], "pool", OnnxAttribute.Int("keepdims", 0));
        string count = graph.AddNode("Cast", [graph.AddNode("Unsqueeze", [lengths.Name, graph.Int64Constant(1)], "pool")], "pool", OnnxAttribute.Int("to", (long)OnnxElementType.Float));
        return graph.AddNode("Div", [sum, count], "pool");
    }

    private static void RequireLengths(OnnxValue lengths, int rank, string name)
    {
        ArgumentNullException.ThrowIfNull(lengths, name);
        if (lengths.ElementType != OnnxElementType.Int32 || lengths.Rank != rank)
            throw new ArgumentException($"{name} must be int32 of rank {rank} but got {lengths}.", name);
    }
}
