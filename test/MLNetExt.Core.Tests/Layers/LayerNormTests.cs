using FluentAssertions;
using MLNetExt.Core.Modules;
using MLNetExt.Core.Tests.Infrastructure;
using static MLNetExt.Core.Tests.Layers.LayerTesting;

namespace MLNetExt.Core.Tests.Layers;

public class LayerNormTests
{
    [Theory]
    [InlineData("layernorm_last")]
    [InlineData("layernorm_trailing2")]
    public void Matches_pytorch(string name)
    {
        var reference = ReferenceData.Load($"layers/{name}.json");
        var weight = reference.Tensor("weight");
        var layer = new LayerNorm(weight.Shape.ToArray());
        layer.Weight!.CopyFrom(weight);
        layer.Bias!.CopyFrom(reference.Tensor("bias"));
        var x = RequiringGrad(reference.Tensor("x"));

        var y = ForwardBackward(t => layer.Forward(x, t), reference.Tensor("dy"));

        TensorAssert.Close(y, reference.Tensor("y"), what: "y");
        TensorAssert.Close(x.Grad!, reference.Tensor("dx"), what: "dx");
        TensorAssert.Close(layer.Weight.Grad!, reference.Tensor("dweight"), what: "dweight");
        TensorAssert.Close(layer.Bias.Grad!, reference.Tensor("dbias"), what: "dbias");
    }

    [Fact]
    public void Passes_gradient_check_for_input_weight_and_bias()
    {
        var layer = new LayerNorm([2, 3]);
        Random(1, 2, 3).Span.CopyTo(layer.Weight!.Span);
        Random(2, 2, 3).Span.CopyTo(layer.Bias!.Span);
        var x = Random(3, 4, 2, 3);
        GradCheck.Check(t => layer.Forward(x, t), [x, layer.Weight, layer.Bias]);

        var plain = new LayerNorm(5, elementwiseAffine: false);
        var rows = Random(4, 3, 5);
        GradCheck.Check(t => plain.Forward(rows, t), [rows]);
    }

    [Fact]
    public void Normalizes_each_row_to_zero_mean_and_unit_variance()
    {
        var layer = new LayerNorm(4);
        layer.StateDict().Select(p => p.Key).Should().Equal("weight", "bias");
        var y = layer.Forward(Tensor.FromValues([1f, 2f, 3f, 4f, 10f, 10f, 10f, 10f], 2, 4));
        float scale = 1f / MathF.Sqrt(1.25f + 1e-5f);
        y.Span.ToArray().Should().Equal([-1.5f * scale, -0.5f * scale, 0.5f * scale, 1.5f * scale, 0f, 0f, 0f, 0f],
            (a, b) => Math.Abs(a - b) < 1e-6f);
    }

    [Fact]
    public void Rejects_mismatched_trailing_dimensions_and_reports_output_shape()
    {
        var layer = new LayerNorm([2, 3]);
        layer.OutputShape([5, 7, 2, 3]).Should().Equal(5, 7, 2, 3);
        layer.Invoking(l => l.Forward(new Tensor(4, 3, 2))).Should().Throw<ArgumentException>().WithMessage("*[*, 2, 3]*[4, 3, 2]*");
        layer.Invoking(l => l.OutputShape([3])).Should().Throw<ArgumentException>();
        FluentActions.Invoking(() => new LayerNorm(Array.Empty<int>())).Should().Throw<ArgumentException>().WithParameterName("normalizedShape");
        FluentActions.Invoking(() => new LayerNorm(0)).Should().Throw<ArgumentOutOfRangeException>().WithParameterName("normalizedShape");
    }
}
