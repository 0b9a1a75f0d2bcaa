using MLNetExt.Core;
using MLNetExt.Core.Modules.Attention;
using MLNetExt.Core.Onnx;
using MLNetExt.Trainers.Sequence;

namespace MLNetExt.Trainers.SequenceToSequence;

/// <summary>
/// A <see cref="SequenceToSequenceNetwork"/> as two ONNX graphs (opset 17), the parts a decoding loop runs outside the
/// graph: the encoder, run once per batch of sources, and one decoder step, run once per output token. Parameters keep
/// the network's names. <see cref="BeamSearch"/> over the step graph gives what it gives over the engine.
/// </summary>
/// <remarks>
/// <para>Encoder: <c>source_ids</c> int64 [B, T_s] (padding 0 after each source's ids, <c>&lt;eos&gt;</c> included),
/// <c>source_lengths</c> int32 [B] → <c>encoder_outputs</c> [B, T_s, H] (0 at padding), <c>initial_hidden</c> s₀ [B, H].</para>
/// <para>Decoder step: <c>previous_tokens</c> int64 [B], <c>hidden</c> [B, H], <c>cell</c> [B, H] (LSTM only),
/// <c>feed</c> [B, H] (input feeding only), <c>encoder_outputs</c>, <c>source_lengths</c> → <c>logits</c> [B, V_t],
/// <c>attention</c> [B, T_s], <c>next_hidden</c>, <c>next_cell</c> (LSTM), <c>next_feed</c> (input feeding). The
/// first step takes <c>&lt;bos&gt;</c>, s₀, and zeros for c and h̃.</para>
/// <para>The search itself (greedy or beam) stays outside: ML.NET's OnnxTransformer runs one graph per row with fixed
/// outputs, and the loop over output tokens with a beam needs control flow and dynamic shapes that it does not map.</para>
/// </remarks>
public static class SequenceToSequenceOnnx
{
    /// <summary>The encoder graph of <paramref name="network"/>.</summary>
    public static byte[] ExportEncoder(SequenceToSequenceNetwork network)
    {
        ArgumentNullException.ThrowIfNull(network);
        var a = network.Architecture;
        var graph = new OnnxGraphBuilder("seq2seq_encoder");
        var ids = graph.AddInput("source_ids", OnnxElementType.Int64, ["batch", "source_steps"]);
        var lengths = graph.AddInput("source_lengths", OnnxElementType.Int32, ["batch"]);
        var embedded = OnnxExport.Module(graph, network.SourceEmbedding, ids, "source_embedding");
        var outputs = network.Encoder.ExportOnnx(graph, embedded, lengths, "encoder").Output;
        // s₀ = tanh(bridge(Σ_t h_t / length)): padded steps are 0 in ONNX's recurrent output, as in the engine's.
        string sum = graph.AddNode("ReduceSum", [outputs.Name, graph.Int64Constant(1)], "bridge", OnnxAttribute.Int("keepdims", 0));
        string length = graph.AddNode("Unsqueeze", [graph.AddNode("Cast", [lengths.Name], "bridge", OnnxAttribute.Int("to", (long)OnnxElementType.Float)), graph.Int64Constant(1)], "bridge");
        var mean = new OnnxValue(graph.AddNode("Div", [sum, length], "bridge"), OnnxElementType.Float, ["batch", a.HiddenSize]);
        var initial = mean.As(graph.AddNode("Tanh", [OnnxExport.Module(graph, network.Bridge, mean, "bridge").Name], "bridge"));
        graph.AddOutput(outputs, "encoder_outputs");
        graph.AddOutput(initial, "initial_hidden");
        return graph.ToBytes();
    }

    /// <summary>The decoder-step graph of <paramref name="network"/>.</summary>
    public static byte[] ExportDecoderStep(SequenceToSequenceNetwork network)
    {
        ArgumentNullException.ThrowIfNull(network);
        var a = network.Architecture;
        int h = a.HiddenSize;
        bool additive = a.Attention == SequenceToSequenceAttention.Additive, feeding = !additive && a.InputFeeding;
        var graph = new OnnxGraphBuilder("seq2seq_decoder_step");
        var previous = graph.AddInput("previous_tokens", OnnxElementType.Int64, ["batch"]);
        var hidden = graph.AddInput("hidden", OnnxElementType.Float, ["batch", h]);
        var cell = a.Cell == SequenceCellType.Lstm ? graph.AddInput("cell", OnnxElementType.Float, ["batch", h]) : null;
        var feed = feeding ? graph.AddInput("feed", OnnxElementType.Float, ["batch", h]) : null;
        var encoderOutputs = graph.AddInput("encoder_outputs", OnnxElementType.Float, ["batch", "source_steps", h]);
        var lengths = graph.AddInput("source_lengths", OnnxElementType.Int32, ["batch"]);

        var embedded = OnnxExport.Module(graph, network.TargetEmbedding, previous, a.SharedEmbedding ? "source_embedding" : "target_embedding");
        OnnxValue Concat(OnnxValue left, OnnxValue right, string scope) =>
            new(graph.AddNode("Concat", [left.Name, right.Name], scope, OnnxAttribute.Int("axis", 1)), OnnxElementType.Float, ["batch", Width(left) + Width(right)]);
        AttentionPoolingOnnxOutput attended;
        (OnnxValue Hidden, OnnxValue? Cell) next;
        if (additive)
        {
            attended = network.Attention.ExportOnnx(graph, encoderOutputs, lengths, hidden, "attention");
            next = network.DecoderCell.ExportOnnx(graph, Concat(embedded, attended.Context, "decoder"), hidden, cell, "decoder");
        }
        else
        {
            next = network.DecoderCell.ExportOnnx(graph, feed is null ? embedded : Concat(embedded, feed, "decoder"), hidden, cell, "decoder");
            attended = network.Attention.ExportOnnx(graph, encoderOutputs, lengths, next.Hidden, "attention");
        }
        var combined = OnnxExport.Module(graph, network.Combine, Concat(attended.Context, next.Hidden, "combine"), "combine");
        var attentional = combined.As(graph.AddNode("Tanh", [combined.Name], "combine"));
        graph.AddOutput(OnnxExport.Module(graph, network.Output, attentional, "output"), "logits");
        graph.AddOutput(attended.Weights, "attention");
        graph.AddOutput(next.Hidden, "next_hidden");
        if (next.Cell is not null)
            graph.AddOutput(next.Cell, "next_cell");
        if (feeding)
            graph.AddOutput(attentional, "next_feed");
        return graph.ToBytes();
    }

    private static long Width(OnnxValue value) => value.Shape[^1].Size;
}
