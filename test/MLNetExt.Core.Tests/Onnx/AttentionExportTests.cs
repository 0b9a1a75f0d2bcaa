using FluentAssertions;
using MLNetExt.Core.Modules;
using MLNetExt.Core.Modules.Attention;
using MLNetExt.Core.Onnx;
using MLNetExt.Core.Ops;
using static MLNetExt.Core.Tests.Attention.AttentionTesting;
using static MLNetExt.Core.Tests.Onnx.OnnxRuntimeCheck;

namespace MLNetExt.Core.Tests.Onnx;

/// <summary>
/// The attention layers' graphs in ONNX Runtime against the engine's inference forward: padded batches (lengths as an
/// int32 input), causal masks, symbolic batch and sequence sizes, and the attention weights.
/// </summary>
public class AttentionExportTests
{
    private static readonly int[] Lengths = [7, 3, 1, 5];

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void MultiheadAttention_output_and_averaged_weights(bool causal)
    {
        var attention = new MultiheadAttention(12, 3, random: new RandomSource(1));
        Random(2, 36).Span.CopyTo(attention.InProjBias!.Span);
        attention.Eval();
        var x = Random(3, Lengths.Length, 7, 12);
        var expected = attention.Forward(x, x, x, PaddingMask(Lengths, 7), causal: causal);

        var graph = new OnnxGraphBuilder();
        var input = graph.AddInput("x", OnnxElementType.Float, ["N", "T", 12]);
        var lengths = graph.AddInput("lengths", OnnxElementType.Int32, ["N"]);
        var exported = attention.ExportOnnx(graph, input, lengths, causal, "self_attn");
        graph.AddOutput(exported.Output, "y");
        graph.AddOutput(exported.AveragedWeights, "weights");

        var results = Run(graph.ToBytes(), ("x", x.Span.ToArray(), x.Shape.ToArray()), ("lengths", Lengths, [Lengths.Length]));
        results[0].Shape.Should().Equal(expected.Output.Shape.ToArray());
        ShouldMatch(results[0].Values, expected.Output.Span, what: "output");
        results[1].Shape.Should().Equal(expected.Weights!.Shape.ToArray());
        ShouldMatch(results[1].Values, expected.Weights.Span, what: "weights");
    }

    [Theory]
    [InlineData(false, TransformerActivation.Relu)]
    [InlineData(false, TransformerActivation.Gelu)]
    [InlineData(true, TransformerActivation.Relu)]
    [InlineData(true, TransformerActivation.Gelu)]
    public void TransformerEncoderLayer_in_both_norm_orders_and_activations(bool normFirst, TransformerActivation activation)
    {
        var layer = new TransformerEncoderLayer(8, 2, 16, activation: activation, normFirst: normFirst, random: new RandomSource(4));
        RandomizeNorms(layer, 5);
        layer.Eval();
        var x = Random(6, Lengths.Length, 7, 8);
        var expected = layer.Forward(x, PaddingMask(Lengths, 7));

        var graph = new OnnxGraphBuilder();
        var input = graph.AddInput("x", OnnxElementType.Float, ["N", 7, 8]);
        var lengths = graph.AddInput("lengths", OnnxElementType.Int32, ["N"]);
        graph.AddOutput(layer.ExportOnnx(graph, input, lengths, false, "layer"), "y");

        var results = Run(graph.ToBytes(), ("x", x.Span.ToArray(), x.Shape.ToArray()), ("lengths", Lengths, [Lengths.Length]));
        ShouldMatch(results[0].Values, expected.Span);
    }

    [Fact]
    public void TransformerEncoder_of_two_layers_with_a_final_norm_and_a_causal_mask()
    {
        var encoder = new TransformerEncoder(new TransformerEncoderLayer(8, 4, 16, normFirst: true, random: new RandomSource(7)), 2, new LayerNorm(8));
        RandomizeNorms(encoder, 8);
        Random(9, 8, 16).Span.CopyTo(encoder.Layers[1].Linear2.Weight.Span);
        encoder.Eval();
        var x = Random(10, Lengths.Length, 7, 8);
        var expected = encoder.Forward(x, PaddingMask(Lengths, 7), causal: true);

        var graph = new OnnxGraphBuilder();
        var input = graph.AddInput("x", OnnxElementType.Float, ["N", "T", 8]);
        var lengths = graph.AddInput("lengths", OnnxElementType.Int32, ["N"]);
        graph.AddOutput(encoder.ExportOnnx(graph, input, lengths, causal: true, "encoder"), "y");
        var initializers = graph.Build().Graph.Initializer.Select(i => i.Name).ToHashSet();
        foreach (var (name, _) in encoder.NamedParameters("encoder.")) initializers.Should().Contain(name);

        var results = Run(graph.ToBytes(), ("x", x.Span.ToArray(), x.Shape.ToArray()), ("lengths", Lengths, [Lengths.Length]));
        ShouldMatch(results[0].Values, expected.Span);
    }

    [Theory]
    [InlineData("additive_query")]
    [InlineData("additive_learned")]
    [InlineData("dot_query")]
    [InlineData("dot_learned")]
    [InlineData("multiplicative_query")]
    [InlineData("multiplicative_learned")]
    public void AttentionPooling_context_and_weights(string kind)
    {
        var random = new RandomSource(11);
        bool learned = kind.EndsWith("learned", StringComparison.Ordinal);
        var pooling = kind switch
        {
            _ when kind.StartsWith("additive", StringComparison.Ordinal) => AttentionPooling.Additive(6, 5, learned ? null : 3, random),
            _ when kind.StartsWith("dot", StringComparison.Ordinal) => AttentionPooling.Dot(6, learned, random),
            _ => AttentionPooling.Multiplicative(6, 3, learned, random),
        };
        var h = Random(12, Lengths.Length, 7, 6);
        var q = learned ? null : Random(13, Lengths.Length, pooling.QuerySize);
        var expected = pooling.Forward(h, PaddingMask(Lengths, 7), q);

        var graph = new OnnxGraphBuilder();
        var sequences = graph.AddInput("h", OnnxElementType.Float, ["N", "T", 6]);
        var lengths = graph.AddInput("lengths", OnnxElementType.Int32, ["N"]);
        var query = learned ? null : graph.AddInput("q", OnnxElementType.Float, ["N", pooling.QuerySize]);
        var exported = pooling.ExportOnnx(graph, sequences, lengths, query, "attention");
        graph.AddOutput(exported.Context, "context");
        graph.AddOutput(exported.Weights, "weights");

        (string, object, int[])[] feeds = learned
            ? [("h", h.Span.ToArray(), h.Shape.ToArray()), ("lengths", Lengths, [Lengths.Length])]
            : [("h", h.Span.ToArray(), h.Shape.ToArray()), ("lengths", Lengths, [Lengths.Length]), ("q", q!.Span.ToArray(), q.Shape.ToArray())];
        var results = Run(graph.ToBytes(), feeds);
        results[0].Shape.Should().Equal(expected.Context.Shape.ToArray());
        ShouldMatch(results[0].Values, expected.Context.Span, what: "context");
        results[1].Shape.Should().Equal(expected.Weights.Shape.ToArray());
        ShouldMatch(results[1].Values, expected.Weights.Span, what: "weights");
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Positional_encodings_on_a_symbolic_length(bool learned)
    {
        Module encoding = learned ? new LearnedPositionalEncoding(9, 4, new RandomSource(14)) : new SinusoidalPositionalEncoding(4, 9);
        var x = Random(15, 2, 7, 4);
        var graph = new OnnxGraphBuilder();
        var input = graph.AddInput("x", OnnxElementType.Float, ["N", "T", 4]);
        graph.AddOutput(OnnxExport.Module(graph, encoding, input, "position"), "y");
        ShouldMatch(Run(graph.ToBytes(), ("x", x.Span.ToArray(), x.Shape.ToArray()))[0].Values, encoding.Forward(x).Span);
    }

    [Fact]
    public void Unmasked_modules_export_through_the_common_entry_point()
    {
        var layer = new TransformerEncoderLayer(8, 2, 16, random: new RandomSource(16));
        layer.Eval();
        var x = Random(17, 2, 5, 8);
        var graph = new OnnxGraphBuilder();
        var input = graph.AddInput("x", OnnxElementType.Float, ["N", 5, 8]);
        graph.AddOutput(OnnxExport.Module(graph, layer, input, ""), "y");
        ShouldMatch(Run(graph.ToBytes(), ("x", x.Span.ToArray(), x.Shape.ToArray()))[0].Values, layer.Forward(x).Span);
    }

    // Layer norms start at γ = 1, β = 0, where a wrong γ or β in the graph would go unseen.
    private static void RandomizeNorms(Module module, ulong seed)
    {
        var random = new RandomSource(seed);
        foreach (var (name, parameter) in module.NamedParameters())
            if (name.Contains("norm", StringComparison.Ordinal)) random.FillUniform(parameter.Span, 0.5f, 1.5f);
    }
}
