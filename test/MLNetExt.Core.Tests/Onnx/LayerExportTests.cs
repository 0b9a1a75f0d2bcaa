using FluentAssertions;
using MLNetExt.Core.Modules;
using MLNetExt.Core.Onnx;
using MLNetExt.Core.Ops;
using static MLNetExt.Core.Tests.Onnx.OnnxRuntimeCheck;

namespace MLNetExt.Core.Tests.Onnx;

/// <summary>Each layer's exported graph, run in ONNX Runtime, against the layer's own inference forward.</summary>
public class LayerExportTests
{
    private static Tensor Random(int seed, float scale, params int[] shape)
    {
        var tensor = new Tensor(shape);
        new RandomSource((ulong)seed).FillUniform(tensor.Span, -scale, scale);
        return tensor;
    }

    // Exports module over a float input "x" with a symbolic batch and the given fixed trailing sizes, runs both.
    private static void CheckFloatLayer(Module module, Tensor x, float tolerance = 1e-5f)
    {
        module.Eval();
        var expected = module.Forward(x);
        var graph = new OnnxGraphBuilder();
        var input = graph.AddInput("x", OnnxElementType.Float, ["N", .. x.Shape[1..].ToArray().Select(d => (OnnxDim)d)]);
        graph.AddOutput(OnnxExport.Module(graph, module, input), "y");
        var (values, shape) = Run(graph.ToBytes(), ("x", x.Span.ToArray(), x.Shape.ToArray()))[0];
        shape.Should().Equal(expected.Shape.ToArray());
        ShouldMatch(values, expected.Span, tolerance, module.GetType().Name);
    }

    public static TheoryData<string> ActivationNames =>
        ["ReLU", "LeakyReLU", "Tanh", "Sigmoid", "GELU", "GELU-tanh", "ELU", "SELU", "Softplus", "Softplus-beta", "Identity", "Dropout", "Softmax", "LogSoftmax"];

    private static Module Activation(string name) => name switch
    {
        "ReLU" => new ReLU(),
        "LeakyReLU" => new LeakyReLU(0.2f),
        "Tanh" => new Tanh(),
        "Sigmoid" => new Sigmoid(),
        "GELU" => new GELU(),
        "GELU-tanh" => new GELU(GeluApproximation.Tanh),
        "ELU" => new ELU(0.7f),
        "SELU" => new SELU(),
        "Softplus" => new Softplus(),
        "Softplus-beta" => new Softplus(beta: 2f, threshold: 5f),
        "Identity" => new Identity(),
        "Dropout" => new Dropout(0.4f),
        "Softmax" => new Softmax(),
        "LogSoftmax" => new LogSoftmax(),
        _ => throw new ArgumentOutOfRangeException(nameof(name)),
    };

    [Theory]
    [MemberData(nameof(ActivationNames))]
    public void Activation_matches_the_engine(string name)
    {
        // Values up to ±6 reach both sides of Softplus-beta's threshold (β·x > 5) and ELU/SELU's saturation.
        CheckFloatLayer(Activation(name), Random(1, 6f, 5, 3, 7));
    }

    [Fact]
    public void Linear_exports_as_gemm_and_matches()
    {
        var linear = new Linear(6, 4, random: new RandomSource(2));
        CheckFloatLayer(linear, Random(3, 2f, 5, 6));
        var graph = new OnnxGraphBuilder();
        OnnxExport.Module(graph, linear, graph.AddInput("x", OnnxElementType.Float, ["N", 6]), "head");
        graph.Build().Graph.Node.Select(n => n.OpType).Should().Equal("Gemm");
    }

    [Fact]
    public void Linear_without_bias_matches()
        => CheckFloatLayer(new Linear(6, 3, bias: false, random: new RandomSource(4)), Random(5, 2f, 4, 6));

    [Fact]
    public void Linear_on_rank_3_input_uses_matmul_and_matches_the_engine_row_by_row()
    {
        var linear = new Linear(5, 3, random: new RandomSource(6));
        var x = Random(7, 2f, 2, 4, 5);
        var expected = linear.Forward(x.Reshape(8, 5));
        var graph = new OnnxGraphBuilder();
        var input = graph.AddInput("x", OnnxElementType.Float, ["N", 4, 5]);
        var output = graph.AddOutput(OnnxExport.Module(graph, linear, input, "head"), "y");
        output.Shape.Should().Equal(new OnnxDim[] { "N", 4, 3 });
        graph.Build().Graph.Node.Select(n => n.OpType).Should().Contain("MatMul").And.NotContain("Gemm");
        var (values, shape) = Run(graph.ToBytes(), ("x", x.Span.ToArray(), [2, 4, 5]))[0];
        shape.Should().Equal(2, 4, 3);
        ShouldMatch(values, expected.Span);
    }

    [Theory]
    [InlineData(1, -1)]
    [InlineData(1, 2)]
    [InlineData(2, 3)]
    public void Flatten_matches(int start, int end)
        => CheckFloatLayer(new Flatten(start, end), Random(8, 1f, 3, 2, 3, 4));

    [Theory]
    [InlineData(true, 2)]
    [InlineData(true, 3)]
    [InlineData(false, 2)]
    public void BatchNorm1d_exports_the_running_statistics(bool affine, int rank)
    {
        var norm = new BatchNorm1d(4, eps: 1e-3f, affine: affine);
        Random(9, 1f, 4).Span.CopyTo(norm.RunningMean!.Span);
        var variance = Random(10, 0.5f, 4);
        for (int c = 0; c < 4; c++) norm.RunningVar!.Span[c] = 1f + variance.Span[c];
        if (affine)
        {
            Random(11, 1f, 4).Span.CopyTo(norm.Weight!.Span);
            Random(12, 1f, 4).Span.CopyTo(norm.Bias!.Span);
        }
        // Left in training mode on purpose: the export is always the inference graph, which the engine runs after Eval.
        norm.Train();
        CheckFloatLayer(norm, rank == 2 ? Random(13, 3f, 6, 4) : Random(13, 3f, 6, 4, 5));
    }

    [Fact]
    public void BatchNorm_without_running_statistics_is_refused()
    {
        var graph = new OnnxGraphBuilder();
        var input = graph.AddInput("x", OnnxElementType.Float, ["N", 3]);
        var act = () => OnnxExport.Module(graph, new BatchNorm1d(3, trackRunningStats: false), input, "bn");
        act.Should().Throw<NotSupportedException>().WithMessage("*running statistics*");
    }

    [Theory]
    [InlineData(true, 1)]
    [InlineData(false, 1)]
    [InlineData(true, 2)]
    public void LayerNorm_matches(bool affine, int normalizedRank)
    {
        var norm = normalizedRank == 1 ? new LayerNorm(6, 1e-4f, affine) : new LayerNorm([3, 6], 1e-4f, affine);
        if (affine)
        {
            Random(14, 1f, norm.NormalizedShape.ToArray()).Span.CopyTo(norm.Weight!.Span);
            Random(15, 1f, norm.NormalizedShape.ToArray()).Span.CopyTo(norm.Bias!.Span);
        }
        CheckFloatLayer(norm, Random(16, 2f, 4, 3, 6));
    }

    [Theory]
    [InlineData(OnnxElementType.Int64)]
    [InlineData(OnnxElementType.Int32)]
    [InlineData(OnnxElementType.UInt32)]
    [InlineData(OnnxElementType.Float)]
    public void Embedding_gathers_rows_for_every_id_type(OnnxElementType idType)
    {
        var embedding = new Embedding(10, 4, paddingIdx: 0, random: new RandomSource(17));
        int[] ids = [3, 0, 9, 1, 1, 5];
        var expected = embedding.Forward(ids, [2, 3]);
        var graph = new OnnxGraphBuilder();
        var input = graph.AddInput("ids", idType, ["N", 3]);
        graph.AddOutput(OnnxExport.Module(graph, embedding, input, "embedding"), "y");
        object feed = idType switch
        {
            OnnxElementType.Int64 => ids.Select(i => (long)i).ToArray(),
            OnnxElementType.Int32 => ids,
            OnnxElementType.UInt32 => ids.Select(i => (uint)i).ToArray(),
            _ => ids.Select(i => (float)i).ToArray(),
        };
        var (values, shape) = Run(graph.ToBytes(), ("ids", feed, [2, 3]))[0];
        shape.Should().Equal(2, 3, 4);
        ShouldMatch(values, expected.Span);
    }

    [Fact]
    public void Sequential_chains_its_layers_under_pytorch_names()
    {
        var random = new RandomSource(18);
        var network = new Sequential(new Linear(5, 8, random: random), new BatchNorm1d(8), new GELU(), new Dropout(0.2f, random),
            new Linear(8, 6, random: random), new LayerNorm(6), new Tanh(), new Linear(6, 3, random: random), new LogSoftmax());
        Random(19, 0.5f, 8).Span.CopyTo(((BatchNorm1d)network.Layers[1]).RunningMean!.Span);
        CheckFloatLayer(network, Random(20, 2f, 7, 5));

        var graph = new OnnxGraphBuilder();
        OnnxExport.Module(graph, network, graph.AddInput("x", OnnxElementType.Float, ["N", 5]));
        var model = graph.Build();
        model.Graph.Initializer.Select(i => i.Name).Should().Contain(["0.weight", "0.bias", "1.running_mean", "1.running_var", "5.weight", "7.bias"]);
        model.Graph.Node.Select(n => n.Name).Should().Contain(["/0/Gemm", "/1/BatchNormalization", "/7/Gemm"]).And.OnlyHaveUniqueItems();
    }

    [Fact]
    public void A_layer_without_export_is_named_in_the_error()
    {
        var graph = new OnnxGraphBuilder();
        var input = graph.AddInput("x", OnnxElementType.Float, ["N", 4]);
        var act = () => OnnxExport.Module(graph, new Sequential(new Modules.Recurrent.RNNCell(4, 3)), input);
        act.Should().Throw<NotSupportedException>().WithMessage("RNNCell (at '0')*");
    }
}
