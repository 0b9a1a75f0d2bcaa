using MLNetExt.Core;
using MLNetExt.Core.Modules.Attention;
using MLNetExt.Core.Onnx;
using MLNetExt.Trainers.Sequence;

namespace MLNetExt.Trainers.SequenceToSequence;

/// <summary>
/// A <see cref="SequenceToSequenceNetwork"/> as ONNX graphs (opset 17), parameters under the network's names: the
/// encoder and one decoder step, for a decoding loop run outside the graph (beam search), and a whole greedy decoder
/// with its loop inside (an ONNX <c>Loop</c>), which one graph run turns a source into its output.
/// </summary>
/// <remarks>
/// <para>Encoder: <c>source_ids</c> int64 [B, T_s] (padding 0 after each source's ids, <c>&lt;eos&gt;</c> included),
/// <c>source_lengths</c> int32 [B] → <c>encoder_outputs</c> [B, T_s, H] (0 at padding), <c>initial_hidden</c> s₀ [B, H].</para>
/// <para>Decoder step: <c>previous_tokens</c> int64 [B], <c>hidden</c> [B, H], <c>cell</c> [B, H] (LSTM only),
/// <c>feed</c> [B, H] (input feeding only), <c>encoder_outputs</c>, <c>source_lengths</c> → <c>logits</c> [B, V_t],
/// <c>attention</c> [B, T_s], <c>next_hidden</c>, <c>next_cell</c> (LSTM), <c>next_feed</c> (input feeding). The
/// first step takes <c>&lt;bos&gt;</c>, s₀, and zeros for c and h̃.</para>
/// <para>Greedy decoder: <c>source_ids</c> int64 [T_s] (one source, ending in <c>&lt;eos&gt;</c>) →
/// <c>output_ids</c> int64 [T]: at each step the most likely id from <c>&lt;eos&gt;</c> up (padding, <c>&lt;unk&gt;</c>
/// and <c>&lt;bos&gt;</c> are never produced), until <c>&lt;eos&gt;</c>, which ends the output, or 2·T_s + 10 ids
/// (then <c>&lt;eos&gt;</c> is not among them): the ids <see cref="BeamSearch"/> with width 1 and the default length
/// limit produces.</para>
/// </remarks>
public static class SequenceToSequenceOnnx
{
    /// <summary>The encoder graph of <paramref name="network"/>.</summary>
    public static byte[] ExportEncoder(SequenceToSequenceNetwork network)
    {
        ArgumentNullException.ThrowIfNull(network);
        var graph = new OnnxGraphBuilder("seq2seq_encoder");
        var ids = graph.AddInput("source_ids", OnnxElementType.Int64, ["batch", "source_steps"]);
        var lengths = graph.AddInput("source_lengths", OnnxElementType.Int32, ["batch"]);
        var (outputs, initial) = EmitEncoder(graph, network, ids, lengths);
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
        var graph = new OnnxGraphBuilder("seq2seq_decoder_step");
        var previous = graph.AddInput("previous_tokens", OnnxElementType.Int64, ["batch"]);
        var hidden = graph.AddInput("hidden", OnnxElementType.Float, ["batch", h]);
        var cell = a.Cell == SequenceCellType.Lstm ? graph.AddInput("cell", OnnxElementType.Float, ["batch", h]) : null;
        var feed = Feeds(a) ? graph.AddInput("feed", OnnxElementType.Float, ["batch", h]) : null;
        var encoderOutputs = graph.AddInput("encoder_outputs", OnnxElementType.Float, ["batch", "source_steps", h]);
        var lengths = graph.AddInput("source_lengths", OnnxElementType.Int32, ["batch"]);
        var step = EmitStep(graph, network, previous, hidden, cell, feed, encoderOutputs, lengths);
        graph.AddOutput(step.Logits, "logits");
        graph.AddOutput(step.Attention, "attention");
        graph.AddOutput(step.Hidden, "next_hidden");
        if (step.Cell is not null)
            graph.AddOutput(step.Cell, "next_cell");
        if (step.Feed is not null)
            graph.AddOutput(step.Feed, "next_feed");
        return graph.ToBytes();
    }

    /// <summary>The greedy decoder of <paramref name="network"/>, one graph with the loop over output ids inside.</summary>
    public static byte[] ExportGreedyDecoder(SequenceToSequenceNetwork network)
    {
        ArgumentNullException.ThrowIfNull(network);
        var a = network.Architecture;
        int h = a.HiddenSize, v = a.TargetVocabularySize;
        const string Scope = "greedy";
        var graph = new OnnxGraphBuilder("seq2seq_greedy_decoder");
        var source = graph.AddInput("source_ids", OnnxElementType.Int64, ["source_steps"]);
        var ids = new OnnxValue(graph.AddNode("Unsqueeze", [source.Name, graph.Int64Constant(0)], Scope), OnnxElementType.Int64, [1, "source_steps"]);
        string steps = graph.AddNode("Shape", [source.Name], Scope);  // [1] int64: T_s
        var lengths = new OnnxValue(graph.AddNode("Cast", [steps], Scope, OnnxAttribute.Int("to", (long)OnnxElementType.Int32)), OnnxElementType.Int32, [1]);
        var (encoderOutputs, initial) = EmitEncoder(graph, network, ids, lengths);
        // At most 2·T_s + 10 steps, as BeamSearch's default length limit.
        string trips = graph.AddNode("Reshape", [graph.AddNode("Add", [graph.AddNode("Mul", [steps, graph.Int64Constant(2)], Scope), graph.Int64Constant(10)], Scope),
            graph.Int64Constant()], Scope);
        var carried = new List<string>
        {
            graph.AddInitializer("greedy.begin", [(long)TokenVocabulary.BeginOfSequence]).Name,
            initial.Name,
        };
        if (a.Cell == SequenceCellType.Lstm)
            carried.Add(graph.AddInitializer("greedy.initial_cell", new Tensor(1, h)).Name);
        if (Feeds(a))
            carried.Add(graph.AddInitializer("greedy.initial_feed", new Tensor(1, h)).Name);

        var body = graph.CreateSubgraph("greedy_step");
        body.AddInput("greedy.iteration", OnnxElementType.Int64, []);
        var going = body.AddInput("greedy.condition_in", OnnxElementType.Bool, []);
        var previous = body.AddInput("greedy.previous", OnnxElementType.Int64, [1]);
        var hidden = body.AddInput("greedy.hidden", OnnxElementType.Float, [1, h]);
        var cell = a.Cell == SequenceCellType.Lstm ? body.AddInput("greedy.cell", OnnxElementType.Float, [1, h]) : null;
        var feed = Feeds(a) ? body.AddInput("greedy.feed", OnnxElementType.Float, [1, h]) : null;
        var step = EmitStep(body, network, previous, hidden, cell, feed, encoderOutputs, lengths);
        // The most likely id from <eos> up: ArgMax over logits[:, 3:], plus 3 (ties go to the first, as the engine's).
        string allowed = body.AddNode("Slice", [step.Logits.Name, body.Int64Constant(TokenVocabulary.EndOfSequence), body.Int64Constant(v), body.Int64Constant(1)], Scope);
        string token = body.AddNode("Add", [body.AddNode("ArgMax", [allowed], Scope, OnnxAttribute.Int("axis", 1), OnnxAttribute.Int("keepdims", 0)),
            body.Int64Constant(TokenVocabulary.EndOfSequence)], Scope);
        string more = body.AddNode("Not", [body.AddNode("Equal", [token, body.Int64Constant(TokenVocabulary.EndOfSequence)], Scope)], Scope);
        body.AddOutput(going.As(body.AddNode("Reshape", [more, body.Int64Constant()], Scope)), "greedy.condition_out");
        body.AddOutput(previous.As(token), "greedy.next_token");
        body.AddOutput(step.Hidden, "greedy.next_hidden");
        if (step.Cell is not null)
            body.AddOutput(step.Cell, "greedy.next_cell");
        if (step.Feed is not null)
            body.AddOutput(step.Feed, "greedy.next_feed");
        body.AddOutput(previous.As(token), "greedy.token");

        var loop = graph.AddNodeOutputs("Loop", [trips, "", .. carried], carried.Count + 1, Scope, "", OnnxAttribute.Graph("body", body.BuildGraph()));
        // The scanned ids [T, 1] → [T].
        graph.AddOutput(new OnnxValue(graph.AddNode("Reshape", [loop[^1], graph.Int64Constant(-1)], Scope), OnnxElementType.Int64, ["output_steps"]), "output_ids");
        return graph.ToBytes();
    }

    private static bool Feeds(SequenceToSequenceArchitecture a) => a.Attention != SequenceToSequenceAttention.Additive && a.InputFeeding;

    // The encoder's nodes: h [B, T_s, H] and s₀ = tanh(bridge(Σ_t h_t / length)) [B, H]; padded steps are 0 in ONNX's
    // recurrent output, as in the engine's.
    private static (OnnxValue Outputs, OnnxValue Initial) EmitEncoder(OnnxGraphBuilder graph, SequenceToSequenceNetwork network, OnnxValue ids, OnnxValue lengths)
    {
        var embedded = OnnxExport.Module(graph, network.SourceEmbedding, ids, "source_embedding");
        var outputs = network.Encoder.ExportOnnx(graph, embedded, lengths, "encoder").Output;
        string sum = graph.AddNode("ReduceSum", [outputs.Name, graph.Int64Constant(1)], "bridge", OnnxAttribute.Int("keepdims", 0));
        string length = graph.AddNode("Unsqueeze", [graph.AddNode("Cast", [lengths.Name], "bridge", OnnxAttribute.Int("to", (long)OnnxElementType.Float)), graph.Int64Constant(1)], "bridge");
        var mean = new OnnxValue(graph.AddNode("Div", [sum, length], "bridge"), OnnxElementType.Float, [ids.Shape[0], network.Architecture.HiddenSize]);
        var initial = mean.As(graph.AddNode("Tanh", [OnnxExport.Module(graph, network.Bridge, mean, "bridge").Name], "bridge"));
        return (outputs, initial);
    }

    private sealed record StepValues(OnnxValue Logits, OnnxValue Attention, OnnxValue Hidden, OnnxValue? Cell, OnnxValue? Feed);

    // One decoder step's nodes (see SequenceToSequenceNetwork.Step).
    private static StepValues EmitStep(OnnxGraphBuilder graph, SequenceToSequenceNetwork network, OnnxValue previous, OnnxValue hidden, OnnxValue? cell,
        OnnxValue? feed, OnnxValue encoderOutputs, OnnxValue lengths)
    {
        var a = network.Architecture;
        var batch = previous.Shape[0];
        var embedded = OnnxExport.Module(graph, network.TargetEmbedding, previous, a.SharedEmbedding ? "source_embedding" : "target_embedding");
        OnnxValue Concat(OnnxValue left, OnnxValue right, string scope) =>
            new(graph.AddNode("Concat", [left.Name, right.Name], scope, OnnxAttribute.Int("axis", 1)), OnnxElementType.Float, [batch, left.Shape[^1].Size + right.Shape[^1].Size]);
        AttentionPoolingOnnxOutput attended;
        (OnnxValue Hidden, OnnxValue? Cell) next;
        if (a.Attention == SequenceToSequenceAttention.Additive)
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
        return new StepValues(OnnxExport.Module(graph, network.Output, attentional, "output"), attended.Weights, next.Hidden, next.Cell, feed is null ? null : attentional);
    }
}
