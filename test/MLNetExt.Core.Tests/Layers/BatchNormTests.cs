using FluentAssertions;
using MLNetExt.Core.Modules;
using MLNetExt.Core.Tests.Infrastructure;
using static MLNetExt.Core.Tests.Layers.LayerTesting;

namespace MLNetExt.Core.Tests.Layers;

public class BatchNormTests
{
    [Theory]
    [InlineData("batchnorm1d_2d")]
    [InlineData("batchnorm1d_3d")]
    [InlineData("batchnorm2d")]
    public void Matches_pytorch_in_training_then_evaluation(string name)
    {
        var reference = ReferenceData.Load($"layers/{name}.json");
        int channels = reference.MetaInt("channels");
        BatchNorm layer = name == "batchnorm2d" ? new BatchNorm2d(channels) : new BatchNorm1d(channels);
        layer.Weight!.CopyFrom(reference.Tensor("weight"));
        layer.Bias!.CopyFrom(reference.Tensor("bias"));

        var x1 = RequiringGrad(reference.Tensor("x1"));
        var y1 = ForwardBackward(t => layer.Forward(x1, t), reference.Tensor("dy1"));
        TensorAssert.Close(y1, reference.Tensor("y1"), what: "y1");
        TensorAssert.Close(x1.Grad!, reference.Tensor("dx1"), what: "dx1");
        TensorAssert.Close(layer.Weight.Grad!, reference.Tensor("dweight1"), what: "dweight1");
        TensorAssert.Close(layer.Bias.Grad!, reference.Tensor("dbias1"), what: "dbias1");

        TensorAssert.Close(layer.Forward(reference.Tensor("x2")), reference.Tensor("y2"), what: "y2");
        TensorAssert.Close(layer.RunningMean!, reference.Tensor("running_mean"), what: "running_mean");
        TensorAssert.Close(layer.RunningVar!, reference.Tensor("running_var"), what: "running_var");
        layer.NumBatchesTracked!.Data[0].Should().Be(reference.MetaInt("num_batches_tracked"));

        layer.Eval();
        layer.ZeroGrad();
        var x3 = RequiringGrad(reference.Tensor("x3"));
        var y3 = ForwardBackward(t => layer.Forward(x3, t), reference.Tensor("dy3"));
        TensorAssert.Close(y3, reference.Tensor("y3"), what: "y3");
        TensorAssert.Close(x3.Grad!, reference.Tensor("dx3"), what: "dx3");
        TensorAssert.Close(layer.Weight.Grad!, reference.Tensor("dweight3"), what: "dweight3");
        TensorAssert.Close(layer.Bias.Grad!, reference.Tensor("dbias3"), what: "dbias3");
        layer.NumBatchesTracked.Data[0].Should().Be(reference.MetaInt("num_batches_tracked"), "evaluation leaves the statistics alone");
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void BatchNorm1d_passes_gradient_check_for_input_weight_and_bias(bool training)
    {
        var layer = new BatchNorm1d(3);
        Random(1, 3).Span.CopyTo(layer.Weight!.Span);
        Random(2, 3).Span.CopyTo(layer.Bias!.Span);
        Random(3, 3).Span.CopyTo(layer.RunningMean!.Span);
        layer.RunningVar!.Fill(0.7f);
        layer.Train(training);
        var x = Random(4, 4, 3);
        GradCheck.Check(t => layer.Forward(x, t), [x, layer.Weight, layer.Bias]);
        var sequence = Random(5, 2, 3, 4);
        GradCheck.Check(t => layer.Forward(sequence, t), [sequence, layer.Weight, layer.Bias]);
    }

    [Fact]
    public void BatchNorm2d_passes_gradient_check_for_input_weight_and_bias()
    {
        var layer = new BatchNorm2d(2);
        Random(6, 2).Span.CopyTo(layer.Weight!.Span);
        Random(7, 2).Span.CopyTo(layer.Bias!.Span);
        var x = Random(8, 2, 2, 3, 2);
        GradCheck.Check(t => layer.Forward(x, t), [x, layer.Weight, layer.Bias]);
    }

    [Fact]
    public void Starts_as_pytorch_with_state_dict_names()
    {
        var layer = new BatchNorm2d(4);
        layer.Weight!.Span.ToArray().Should().AllBeEquivalentTo(1f);
        layer.Bias!.Span.ToArray().Should().AllBeEquivalentTo(0f);
        layer.RunningMean!.Span.ToArray().Should().AllBeEquivalentTo(0f);
        layer.RunningVar!.Span.ToArray().Should().AllBeEquivalentTo(1f);
        layer.StateDict().Select(p => p.Key).Should().Equal("weight", "bias", "running_mean", "running_var", "num_batches_tracked");
        layer.Eps.Should().Be(1e-5f);
        layer.Momentum.Should().Be(0.1f);
    }

    [Fact]
    public void Evaluation_without_tracked_statistics_uses_the_batch()
    {
        var layer = new BatchNorm1d(2, affine: false, trackRunningStats: false);
        layer.Parameters().Should().BeEmpty();
        layer.NamedBuffers().Should().BeEmpty();
        var x = Tensor.FromValues([1f, 10f, 3f, 20f], 2, 2);
        layer.Eval();
        var y = layer.Forward(x);
        // Channel 0 holds {1, 3} (μ 2, σ² 1) and channel 1 holds {10, 20} (μ 15, σ² 25).
        float first = 1f / MathF.Sqrt(1f + 1e-5f), second = 5f / MathF.Sqrt(25f + 1e-5f);
        y.Span.ToArray().Should().Equal([-first, -second, first, second],
            (a, b) => Math.Abs(a - b) < 1e-6f);
    }

    [Fact]
    public void Cumulative_momentum_averages_the_batches()
    {
        var layer = new BatchNorm1d(1, momentum: null);
        layer.Forward(Tensor.FromValues([0f, 2f], 2, 1));
        layer.Forward(Tensor.FromValues([4f, 8f], 2, 1));
        layer.RunningMean!.Data[0].Should().BeApproximately(3.5f, 1e-6f);
        layer.RunningVar!.Data[0].Should().BeApproximately((2f + 8f) / 2f, 1e-5f);
    }

    [Fact]
    public void Rejects_bad_shapes_and_single_value_batches()
    {
        var layer = new BatchNorm1d(3);
        layer.Invoking(l => l.Forward(new Tensor(4, 2))).Should().Throw<ArgumentException>().WithMessage("*[N, 3] or [N, 3, L]*[4, 2]*");
        layer.Invoking(l => l.Forward(new Tensor(1, 3))).Should().Throw<ArgumentException>().WithMessage("*more than 1 value per channel*");
        new BatchNorm2d(3).Invoking(l => l.Forward(new Tensor(2, 3, 4))).Should().Throw<ArgumentException>().WithMessage("*[N, 3, H, W]*");
        FluentActions.Invoking(() => new BatchNorm1d(0)).Should().Throw<ArgumentOutOfRangeException>();
        FluentActions.Invoking(() => new BatchNorm1d(3, momentum: 1.5f)).Should().Throw<ArgumentOutOfRangeException>().WithParameterName("momentum");
        FluentActions.Invoking(() => new BatchNorm1d(3, eps: 0f)).Should().Throw<ArgumentOutOfRangeException>().WithParameterName("eps");
    }

    [Fact]
    public void Reports_its_output_shape()
    {
        new BatchNorm1d(3).OutputShape([8, 3]).Should().Equal(8, 3);
        new BatchNorm1d(3).OutputShape([8, 3, 10]).Should().Equal(8, 3, 10);
        new BatchNorm2d(3).OutputShape([8, 3, 5, 6]).Should().Equal(8, 3, 5, 6);
        new BatchNorm2d(3).Invoking(l => l.OutputShape([8, 4, 5, 6])).Should().Throw<ArgumentException>();
    }
}
