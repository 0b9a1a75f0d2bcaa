using FluentAssertions;
using MLNetExt.Core.Modules;
using MLNetExt.Core.Onnx;
using MLNetExt.Core.Onnx.Protobuf;
using MLNetExt.Core.Ops;
using static MLNetExt.Core.Tests.Onnx.OnnxRuntimeCheck;

namespace MLNetExt.Core.Tests.Onnx;

/// <summary>
/// The convolution, pooling, upsampling and PReLU exports, run in ONNX Runtime against each layer's own inference
/// forward, over several geometries each.
/// </summary>
public class ConvolutionExportTests
{
    private static Tensor Random(int seed, float scale, params int[] shape)
    {
        var tensor = new Tensor(shape);
        new RandomSource((ulong)seed).FillUniform(tensor.Span, -scale, scale);
        return tensor;
    }

    // Exports module under scope "layer" over a float input "x" of the given dimensions (default: a symbolic batch
    // and x's fixed trailing sizes), runs x through ONNX Runtime and the engine, and returns the model for inspection
    // (the layer's own output is the graph's, so the model holds the layer's nodes only).
    private static ModelProto CheckLayer(Module module, Tensor x, OnnxDim[]? dims = null, float tolerance = 1e-5f)
    {
        module.Eval();
        var expected = module.Forward(x);
        var graph = new OnnxGraphBuilder();
        var input = graph.AddInput("x", OnnxElementType.Float, dims ?? ["N", .. x.Shape[1..].ToArray().Select(d => (OnnxDim)d)]);
        var output = graph.AddOutput(OnnxExport.Module(graph, module, input, "layer"));
        for (int axis = 0; axis < output.Rank; axis++)
        {
            if (output.Shape[axis].IsFixed)
                output.Shape[axis].Size.Should().Be(expected.Dim(axis), $"the exported shape's axis {axis} is the engine's");
        }
        var (values, shape) = Run(graph.ToBytes(), ("x", x.Span.ToArray(), x.Shape.ToArray()))[0];
        shape.Should().Equal(expected.Shape.ToArray());
        ShouldMatch(values, expected.Span, tolerance, module.GetType().Name);
        return graph.Build();
    }

    private static IEnumerable<string> OpTypes(ModelProto model) => model.Graph.Node.Select(n => n.OpType);

    private static IEnumerable<string> Initializers(ModelProto model) => model.Graph.Initializer.Select(i => i.Name);

    private static string StringAttribute(NodeProto node, string name) => node.Attribute.Single(a => a.Name == name).S.ToStringUtf8();

    [Theory]
    // inChannels, outChannels, kernel, stride, padding, dilation, bias, height, width
    [InlineData(3, 4, 3, 1, 0, 1, true, 7, 9)]
    [InlineData(3, 5, 3, 2, 1, 1, true, 9, 8)]
    [InlineData(2, 4, 3, 1, 2, 2, false, 10, 11)]
    [InlineData(4, 2, 5, 3, 2, 1, true, 13, 12)]
    [InlineData(1, 3, 1, 2, 0, 1, true, 5, 6)]
    public void Conv2d_matches(int inChannels, int outChannels, int kernel, int stride, int padding, int dilation, bool bias, int height, int width)
    {
        var conv = new Conv2d(inChannels, outChannels, kernel, stride, padding, dilation, bias, new RandomSource(1));
        var model = CheckLayer(conv, Random(2, 2f, 3, inChannels, height, width));
        OpTypes(model).Should().Equal("Conv");
        if (bias) Initializers(model).Should().BeEquivalentTo("layer.weight", "layer.bias");
        else Initializers(model).Should().BeEquivalentTo("layer.weight");
    }

    [Fact]
    public void Conv2d_with_per_axis_settings_matches()
        => CheckLayer(new Conv2d(3, 4, (2, 3), (1, 2), (1, 0), (2, 1), random: new RandomSource(3)), Random(4, 2f, 2, 3, 8, 11));

    [Fact]
    public void Conv2d_over_symbolic_height_and_width_runs_at_any_size()
    {
        var conv = new Conv2d(2, 3, 3, stride: 2, padding: 1, random: new RandomSource(5));
        CheckLayer(conv, Random(6, 1f, 2, 2, 9, 7), ["N", 2, "H", "W"]);
        CheckLayer(conv, Random(7, 1f, 1, 2, 6, 12), ["N", 2, "H", "W"]);
    }

    [Fact]
    public void Conv2d_refuses_an_input_with_other_channels()
    {
        var graph = new OnnxGraphBuilder();
        var input = graph.AddInput("x", OnnxElementType.Float, ["N", 4, 8, 8]);
        var act = () => OnnxExport.Module(graph, new Conv2d(3, 2, 3), input, "conv");
        act.Should().Throw<ArgumentException>().WithMessage("Conv2d(3, 2) expects input [N, 3, H, W]*");
    }

    [Theory]
    // inChannels, outChannels, kernel, stride, padding, dilation, bias, length
    [InlineData(3, 4, 3, 1, 0, 1, true, 11)]
    [InlineData(2, 5, 4, 2, 1, 1, true, 13)]
    [InlineData(4, 3, 3, 1, 3, 3, false, 9)]
    [InlineData(1, 2, 5, 3, 2, 2, true, 17)]
    public void Conv1d_matches(int inChannels, int outChannels, int kernel, int stride, int padding, int dilation, bool bias, int length)
    {
        var conv = new Conv1d(inChannels, outChannels, kernel, stride, padding, dilation, bias, new RandomSource(8));
        var model = CheckLayer(conv, Random(9, 2f, 3, inChannels, length));
        OpTypes(model).Should().Equal("Conv");
    }

    [Theory]
    // inChannels, outChannels, kernel, stride, padding, outputPadding, dilation, bias, height, width
    [InlineData(4, 3, 3, 2, 1, 1, 1, true, 5, 6)]
    [InlineData(2, 3, 4, 2, 0, 0, 1, true, 4, 7)]
    [InlineData(3, 4, 3, 3, 2, 2, 1, false, 3, 4)]
    [InlineData(3, 2, 2, 3, 1, 1, 2, true, 4, 4)]
    // An output padding of 1 at stride 1, which PyTorch allows because it is below the dilation 2.
    [InlineData(3, 2, 3, 1, 1, 1, 2, true, 5, 5)]
    public void ConvTranspose2d_matches(int inChannels, int outChannels, int kernel, int stride, int padding, int outputPadding,
        int dilation, bool bias, int height, int width)
    {
        var deconv = new ConvTranspose2d(inChannels, outChannels, kernel, stride, padding, outputPadding, bias, dilation, new RandomSource(10));
        var model = CheckLayer(deconv, Random(11, 2f, 2, inChannels, height, width));
        // An output padding within the padding only crops less at the bottom and right.
        OpTypes(model).Should().Equal("ConvTranspose");
        model.Graph.Node.Single().Attribute.Single(a => a.Name == "pads").Ints.Should().Equal(padding, padding, padding - outputPadding, padding - outputPadding);
        model.Graph.Initializer.Single(i => i.Name == "layer.weight").Dims.Should().Equal(inChannels, outChannels, kernel, kernel);
    }

    [Theory]
    // Output padding past the padding: rows no input reaches, the bias alone, e.g. kernel 1 at stride 2.
    [InlineData(2, 2, 1, 2, 0, 1, 1, true, 4, 3)]
    [InlineData(3, 2, 3, 2, 0, 1, 1, false, 3, 5)]
    // ... and past it at stride 1, where PyTorch allows it because it is below the dilation 2.
    [InlineData(3, 2, 3, 1, 0, 1, 2, true, 5, 5)]
    public void ConvTranspose2d_output_padding_past_the_padding_matches(int inChannels, int outChannels, int kernel, int stride, int padding,
        int outputPadding, int dilation, bool bias, int height, int width)
    {
        var deconv = new ConvTranspose2d(inChannels, outChannels, kernel, stride, padding, outputPadding, bias, dilation, new RandomSource(32));
        var model = CheckLayer(deconv, Random(33, 2f, 2, inChannels, height, width));
        OpTypes(model).Should().Equal(bias ? ["ConvTranspose", "Pad", "Unsqueeze", "Add"] : ["ConvTranspose", "Pad"]);
    }

    [Fact]
    public void ConvTranspose2d_with_per_axis_settings_matches()
        => CheckLayer(new ConvTranspose2d(3, 2, (3, 2), (2, 3), (1, 0), (1, 2), (1, 1), bias: false, random: new RandomSource(12)),
            Random(13, 2f, 2, 3, 4, 5));

    [Theory]
    // kernel, stride, padding, height, width
    [InlineData(2, 2, 0, 8, 8)]
    [InlineData(3, 2, 1, 9, 7)]
    [InlineData(3, 1, 1, 5, 6)]
    [InlineData(2, 1, 0, 5, 4)]
    public void MaxPool2d_matches(int kernel, int stride, int padding, int height, int width)
    {
        // All values negative: a runtime padding with zeros rather than −∞ would show at the borders.
        var x = Random(14, 1f, 2, 3, height, width);
        for (int i = 0; i < x.Length; i++) x.Span[i] -= 2f;
        OpTypes(CheckLayer(new MaxPool2d(kernel, stride, padding), x)).Should().Equal("MaxPool");
    }

    [Fact]
    public void MaxPool2d_with_per_axis_settings_matches()
        => CheckLayer(new MaxPool2d((2, 3), (2, 1), (1, 1)), Random(15, 1f, 2, 2, 7, 6));

    [Theory]
    // kernel, stride, padding, countIncludePad, height, width
    [InlineData(2, 2, 0, true, 8, 6)]
    [InlineData(3, 2, 1, true, 9, 8)]
    [InlineData(3, 2, 1, false, 9, 8)]
    [InlineData(3, 1, 1, false, 5, 7)]
    public void AvgPool2d_matches_including_the_padding_divisor(int kernel, int stride, int padding, bool countIncludePad, int height, int width)
    {
        // Values far from zero, so counting the padded zeros in the divisor or not changes every border window.
        var x = Random(16, 1f, 2, 3, height, width);
        for (int i = 0; i < x.Length; i++) x.Span[i] += 3f;
        var model = CheckLayer(new AvgPool2d(kernel, stride, padding, countIncludePad), x);
        model.Graph.Node.Single().Attribute.Single(a => a.Name == "count_include_pad").I.Should().Be(countIncludePad ? 1 : 0);
    }

    [Fact]
    public void AvgPool2d_with_per_axis_settings_matches()
        => CheckLayer(new AvgPool2d((3, 2), (1, 2), (1, 1), countIncludePad: false), Random(17, 1f, 2, 2, 6, 7));

    [Fact]
    public void GlobalAvgPool2d_averages_each_channel_to_n_by_c()
    {
        var model = CheckLayer(new GlobalAvgPool2d(), Random(18, 2f, 3, 4, 5, 7));
        OpTypes(model).Should().Equal("GlobalAveragePool", "Flatten");
        model.Graph.Output.Single().Type.TensorType.Shape.Dim.Select(d => d.DimParam.Length > 0 ? d.DimParam : d.DimValue.ToString())
            .Should().Equal("N", "4");
    }

    [Theory]
    // slopes, input shape
    [InlineData(3, new[] { 2, 3, 4, 5 })]
    [InlineData(3, new[] { 2, 3, 7 })]
    [InlineData(3, new[] { 4, 3 })]
    [InlineData(1, new[] { 2, 3, 4, 5 })]
    [InlineData(1, new[] { 6 })]
    public void PReLU_applies_each_channel_slope(int slopes, int[] shape)
    {
        var prelu = new PReLU(slopes);
        // Slopes of both signs and above 1, so a slope applied to the wrong channel shows.
        Random(19, 2f, slopes).Span.CopyTo(prelu.Weight.Span);
        var model = CheckLayer(prelu, Random(20, 3f, shape));
        OpTypes(model).Should().EndWith("PRelu");
        model.Graph.Initializer.Single(i => i.Name == "layer.weight").Dims.Should().Equal(slopes);
    }

    [Theory]
    [InlineData(2.0, 4, 5)]
    [InlineData(3.0, 3, 5)]
    [InlineData(1.5, 5, 7)]
    [InlineData(2.5, 3, 4)]
    [InlineData(0.5, 9, 6)]
    [InlineData(4.0, 2, 3)]
    public void Upsample_nearest_by_a_factor_matches(double factor, int height, int width)
        => CheckLayer(new Upsample(factor), Random(21, 1f, 2, 3, height, width));

    [Fact]
    public void Upsample_nearest_by_two_is_a_resize_with_pytorch_nearest_coordinates()
    {
        var model = CheckLayer(new Upsample(2.0), Random(22, 1f, 2, 3, 4, 5));
        var resize = model.Graph.Node.Single(n => n.OpType == "Resize");
        StringAttribute(resize, "mode").Should().Be("nearest");
        StringAttribute(resize, "coordinate_transformation_mode").Should().Be("asymmetric");
        StringAttribute(resize, "nearest_mode").Should().Be("floor");
        resize.Input.Should().Equal("x", "", "layer.onnx_scales");
    }

    [Theory]
    [InlineData(8, 10, 4, 5)]
    [InlineData(7, 10, 4, 5)]
    [InlineData(5, 3, 4, 5)]
    public void Upsample_nearest_to_a_size_matches(int outHeight, int outWidth, int height, int width)
    {
        var model = CheckLayer(new Upsample((outHeight, outWidth)), Random(23, 1f, 2, 3, height, width));
        model.Graph.Node.Single(n => n.OpType == "Resize").Input.Should().HaveCount(4, "a fixed size goes to the sizes input");
    }

    [Theory]
    // PyTorch's shortcut for an output as large as the input: the engine copies, ONNX's ⌊o / 1.2⌋ would not (ONNX
    // Runtime happens to copy equal sizes too; the Gathers hold on any runtime).
    [InlineData(1.2, 3, 4)]
    // ... and for twice the input: o >> 1, where ⌊o / 2.2⌋ differs.
    [InlineData(2.2, 3, 4)]
    public void Upsample_nearest_where_resize_would_pick_other_pixels_exports_the_engine_indices(double factor, int height, int width)
    {
        var model = CheckLayer(new Upsample(factor), Random(24, 1f, 2, 3, height, width));
        OpTypes(model).Should().Equal("Gather", "Gather");
    }

    [Fact]
    public void Upsample_nearest_to_a_size_where_the_float_ratio_rounds_differently_exports_the_engine_indices()
    {
        // 14 → 2: the engine reads ⌊1·7⌋ = 7, the runtime ⌊1 / (2/14 in float)⌋ = 6.
        var model = CheckLayer(new Upsample((2, 2)), Random(25, 1f, 1, 2, 14, 14));
        OpTypes(model).Should().Equal("Gather", "Gather");
    }

    [Fact]
    public void Upsample_by_a_factor_that_onnx_rounds_to_another_size_keeps_nearest_exact_and_refuses_bilinear()
    {
        // 30 · 2.1 is 63 in double, as the engine and PyTorch compute it, but 62 in float, as ONNX Runtime does.
        var model = CheckLayer(new Upsample(2.1), Random(34, 1f, 1, 2, 30, 4));
        OpTypes(model).Should().Equal("Gather", "Gather");

        var graph = new OnnxGraphBuilder();
        var input = graph.AddInput("x", OnnxElementType.Float, ["N", 2, 30, 4]);
        var act = () => OnnxExport.Module(graph, new Upsample(2.1, UpsampleMode.Bilinear), input, "up");
        act.Should().Throw<NotSupportedException>().WithMessage("Upsample (bilinear) at 'up'*63*");
    }

    [Theory]
    [InlineData(2.0, false)]
    [InlineData(2.0, true)]
    [InlineData(1.5, false)]
    [InlineData(1.5, true)]
    [InlineData(0.6, false)]
    [InlineData(3.0, true)]
    public void Upsample_bilinear_by_a_factor_matches(double factor, bool alignCorners)
    {
        var model = CheckLayer(new Upsample(factor, UpsampleMode.Bilinear, alignCorners), Random(26, 2f, 2, 3, 5, 7));
        var resize = model.Graph.Node.Single();
        StringAttribute(resize, "mode").Should().Be("linear");
        StringAttribute(resize, "coordinate_transformation_mode").Should().Be(alignCorners ? "align_corners" : "half_pixel");
    }

    [Theory]
    [InlineData(7, 5, false)]
    [InlineData(7, 5, true)]
    [InlineData(3, 11, false)]
    // An output of size 1 reads the middle of the input, (H − 1)/2, as the engine and PyTorch compute it.
    [InlineData(1, 5, false)]
    [InlineData(1, 5, true)]
    public void Upsample_bilinear_to_a_size_matches(int outHeight, int outWidth, bool alignCorners)
        => CheckLayer(new Upsample((outHeight, outWidth), UpsampleMode.Bilinear, alignCorners), Random(27, 2f, 2, 3, 4, 6));

    [Fact]
    public void Upsample_over_symbolic_sizes_runs_at_any_size()
    {
        OnnxDim[] dims = ["N", 3, "H", "W"];
        foreach (var upsample in new[] { new Upsample(2.0), new Upsample(1.5, UpsampleMode.Bilinear), new Upsample((6, 4), UpsampleMode.Bilinear, true) })
        {
            CheckLayer(upsample, Random(28, 1f, 2, 3, 4, 5), dims);
            CheckLayer(upsample, Random(29, 1f, 1, 3, 7, 3), dims);
        }
    }

    [Theory]
    [InlineData(1.5)]
    [InlineData(3.0)]
    public void Upsample_nearest_over_symbolic_sizes_by_a_factor_other_than_a_power_of_two_is_refused(double factor)
    {
        var graph = new OnnxGraphBuilder();
        var input = graph.AddInput("x", OnnxElementType.Float, ["N", 3, "H", "W"]);
        var act = () => OnnxExport.Module(graph, new Upsample(factor), input, "up");
        act.Should().Throw<NotSupportedException>().WithMessage("Upsample (nearest) at 'up'*power-of-two*");
    }

    [Fact]
    public void Convolutional_autoencoder_exports_end_to_end_with_a_symbolic_batch()
    {
        var random = new RandomSource(30);
        var autoencoder = new Sequential(
            new Conv2d(1, 4, 3, padding: 1, random: random), new ReLU(), new MaxPool2d(2),
            new Conv2d(4, 8, 3, padding: 1, random: random), new ReLU(), new Upsample(2.0),
            new ConvTranspose2d(8, 1, 3, padding: 1, random: random), new Sigmoid());
        autoencoder.Eval();
        var x = Random(31, 1f, 3, 1, 8, 8);
        var expected = autoencoder.Forward(x);

        var graph = new OnnxGraphBuilder();
        var input = graph.AddInput("x", OnnxElementType.Float, ["N", 1, 8, 8]);
        var output = graph.AddOutput(OnnxExport.Module(graph, autoencoder, input), "y");
        output.Shape.Should().Equal(new OnnxDim[] { "N", 1, 8, 8 });
        var model = graph.Build();
        Initializers(model).Should().Contain(["0.weight", "0.bias", "3.weight", "3.bias", "6.weight", "6.bias"]);
        model.Graph.Node.Select(n => n.Name).Should().ContainInOrder("/0/Conv", "/1/Relu", "/2/MaxPool", "/3/Conv", "/4/Relu", "/5/Resize", "/6/ConvTranspose", "/7/Sigmoid");

        var (values, shape) = Run(graph.ToBytes(), ("x", x.Span.ToArray(), [3, 1, 8, 8]))[0];
        shape.Should().Equal(3, 1, 8, 8);
        ShouldMatch(values, expected.Span);
    }
}
