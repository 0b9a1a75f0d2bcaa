using FluentAssertions;
using MLNetExt.Core.Autograd;
using MLNetExt.Core.Modules;
using MLNetExt.Core.Onnx;
using MLNetExt.Core.Ops;
using MLNetExt.Core.Tests.Infrastructure;
using static MLNetExt.Core.Tests.Onnx.OnnxRuntimeCheck;

namespace MLNetExt.Core.Tests.Layers;

/// <summary>
/// The tied-weight decoder: gradient check, parity with x·W + b in PyTorch
/// (Reference/generate_autoencoder_penalties.py), parameter ownership, shapes and ONNX export run in ONNX Runtime.
/// </summary>
public class TiedLinearTests
{
    private static Tensor Uniform(ulong seed, float low, float high, params int[] shape)
    {
        var t = new Tensor(shape);
        new RandomSource(seed).FillUniform(t.Span, low, high);
        return t;
    }

    [Fact]
    public void Passes_gradient_check_into_the_source_weight_and_its_own_bias()
    {
        var source = new Linear(5, 3, random: new RandomSource(1));
        var decoder = new TiedLinear(source);
        decoder.Bias!.CopyFrom(Uniform(2, -1f, 1f, 5));
        var x = Uniform(3, -1f, 1f, 4, 3);
        GradCheck.Check(t => decoder.Forward(x, t), [x, source.Weight, decoder.Bias]);
    }

    [Fact]
    public void Encoder_and_tied_decoder_pass_gradient_check_with_both_uses_of_the_weight()
    {
        var source = new Linear(5, 3, random: new RandomSource(4));
        var autoencoder = new Sequential(source, new Sigmoid(), new TiedLinear(source));
        var x = Uniform(5, -1f, 1f, 4, 5);
        GradCheck.Check(t => autoencoder.Forward(x, t), [x, .. autoencoder.Parameters()]);
    }

    [Fact]
    public void Matches_torch()
    {
        var r = ReferenceData.Load("autoencoder/tied_linear.json");
        var source = new Linear(5, 3);
        source.Weight.CopyFrom(r.Tensor("weight"));
        var decoder = new TiedLinear(source);
        decoder.Bias!.CopyFrom(r.Tensor("bias"));
        var x = r.Tensor("x");
        TensorAssert.Close(decoder.Forward(x), r.Tensor("y"), what: "output without a tape");

        x.RequiresGrad = true;
        var tape = new Tape();
        var y = decoder.Forward(x, tape);
        TensorAssert.Close(y, r.Tensor("y"), what: "output");
        tape.Backward(TensorOps.Sum(TensorOps.Multiply(y, r.Tensor("dy"), tape), tape));
        TensorAssert.Close(x.Grad!, r.Tensor("grad.x"), what: "input gradient");
        TensorAssert.Close(source.Weight.Grad!, r.Tensor("grad.weight"), what: "gradient of the shared weight, in the source");
        TensorAssert.Close(decoder.Bias.Grad!, r.Tensor("grad.bias"), what: "gradient of the bias");
    }

    [Fact]
    public void Owns_only_a_zero_bias_so_the_shared_weight_is_stored_and_trained_once()
    {
        var source = new Linear(6, 2, random: new RandomSource(6));
        var decoder = new TiedLinear(source);
        decoder.NamedParameters().Select(p => p.Key).Should().Equal("bias");
        decoder.Bias!.Span.ToArray().Should().OnlyContain(v => v == 0f);
        decoder.Bias.Length.Should().Be(6);
        decoder.Weight.Should().BeSameAs(source.Weight);

        var autoencoder = new Sequential(source, new Sigmoid(), decoder);
        autoencoder.StateDict().Select(p => p.Key).Should().Equal("0.weight", "0.bias", "2.bias");
        autoencoder.Parameters().Should().OnlyHaveUniqueItems();

        new TiedLinear(source, bias: false).NamedParameters().Should().BeEmpty();
    }

    [Fact]
    public void Output_shape_maps_the_source_output_width_back_to_its_input_width()
    {
        var decoder = new TiedLinear(new Linear(7, 3));
        decoder.InFeatures.Should().Be(3);
        decoder.OutFeatures.Should().Be(7);
        decoder.OutputShape([5, 3]).Should().Equal(5, 7);
        decoder.Forward(new Tensor(5, 3)).Shape.ToArray().Should().Equal(5, 7);
        ((Action)(() => decoder.OutputShape([5, 7]))).Should().Throw<ArgumentException>();
        ((Action)(() => decoder.OutputShape([5, 2, 3]))).Should().Throw<ArgumentException>();
        ((Action)(() => decoder.Forward(new Tensor(5, 7)))).Should().Throw<ArgumentException>().WithParameterName("x");
    }

    private static (float[] Values, int[] Shape) RunExported(Module module, Tensor x, OnnxGraphBuilder graph)
    {
        var input = graph.AddInput("x", OnnxElementType.Float, ["N", x.Dim(1)]);
        graph.AddOutput(OnnxExport.Module(graph, module, input), "y");
        return Run(graph.ToBytes(), ("x", x.Span.ToArray(), x.Shape.ToArray()))[0];
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Exported_alone_writes_the_weight_under_its_own_scope_and_matches_the_engine(bool bias)
    {
        var source = new Linear(5, 3, random: new RandomSource(7));
        var decoder = new TiedLinear(source, bias);
        if (bias) decoder.Bias!.CopyFrom(Uniform(8, -1f, 1f, 5));
        var x = Uniform(9, -2f, 2f, 4, 3);
        var graph = new OnnxGraphBuilder();
        var (values, shape) = RunExported(decoder, x, graph);
        var expected = decoder.Forward(x);
        shape.Should().Equal(expected.Shape.ToArray());
        ShouldMatch(values, expected.Span, what: "decoder");
        graph.Build().Graph.Initializer.Select(i => i.Name).Should().Equal(bias ? ["weight", "bias"] : ["weight"]);
    }

    [Fact]
    public void Exported_after_its_source_in_a_sequential_reads_the_source_weight_and_matches_the_engine()
    {
        var source = new Linear(6, 4, random: new RandomSource(10));
        var decoder = new TiedLinear(source);
        decoder.Bias!.CopyFrom(Uniform(11, -1f, 1f, 6));
        var autoencoder = new Sequential(source, new Sigmoid(), decoder);
        autoencoder.Eval();
        var x = Uniform(12, -2f, 2f, 5, 6);
        var graph = new OnnxGraphBuilder();
        var (values, shape) = RunExported(autoencoder, x, graph);
        var expected = autoencoder.Forward(x);
        shape.Should().Equal(expected.Shape.ToArray());
        ShouldMatch(values, expected.Span, what: "autoencoder");

        var model = graph.Build().Graph;
        model.Initializer.Select(i => i.Name).Should().Equal(["0.weight", "0.bias", "2.bias"], "the shared weight is written once");
        model.Node.Single(n => n.OpType == "MatMul").Input.Should().Equal("/1/Sigmoid_output_0", "0.weight");
    }
}
