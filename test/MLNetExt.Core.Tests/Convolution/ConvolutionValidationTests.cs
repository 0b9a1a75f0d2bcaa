using FluentAssertions;
using MLNetExt.Core.Autograd;
using MLNetExt.Core.Modules;
using MLNetExt.Core.Ops;
using MLNetExt.Core.Tests.Infrastructure;

namespace MLNetExt.Core.Tests.Convolution;

/// <summary>Bad geometry gets a clear exception; initialization follows PyTorch; steady-state steps allocate nothing.</summary>
[Collection(EngineSettingsCollection.Name)]
public class ConvolutionValidationTests
{
    [Fact]
    public void Channel_mismatch_names_the_layer_and_both_shapes()
    {
        var conv = new Conv2d(3, 8, 3);
        var act = () => conv.Forward(new Tensor(2, 4, 8, 8));
        act.Should().Throw<ArgumentException>().WithMessage("*Conv2d(3, 8)*[N, 3, H, W]*[2, 4, 8, 8]*");
        var op = () => Conv2dOp.Forward(new Tensor(2, 4, 8, 8), conv.Weight, conv.Bias, (1, 1), (0, 0), (1, 1));
        op.Should().Throw<ArgumentException>().WithMessage("*[2, 4, 8, 8]*").Which.ParamName.Should().Be("x");
        var conv1d = () => new Conv1d(2, 3, 3).OutputShape([1, 5, 10]);
        conv1d.Should().Throw<ArgumentException>().WithMessage("*Conv1d(2, 3)*[1, 5, 10]*");
        var transposed = () => new ConvTranspose2d(4, 2, 3).OutputShape([1, 2, 5, 5]);
        transposed.Should().Throw<ArgumentException>().WithMessage("*ConvTranspose2d(4, 2)*[1, 2, 5, 5]*");
    }

    [Fact]
    public void Kernel_larger_than_input_is_rejected()
    {
        var act = () => new Conv2d(1, 1, 5).OutputShape([1, 1, 3, 8]);
        act.Should().Throw<ArgumentException>().WithMessage("*Conv2d(1, 1)*[1, 1, 3, 8]*-1×4*");
        var pool = () => new MaxPool2d(4).OutputShape([1, 1, 3, 3]);
        pool.Should().Throw<ArgumentException>().WithMessage("*MaxPool2d*[1, 1, 3, 3]*");
        var empty = () => new ConvTranspose2d(1, 1, 1, padding: 1).OutputShape([1, 1, 1, 1]);
        empty.Should().Throw<ArgumentException>().WithMessage("*empty*");
    }

    [Fact]
    public void Invalid_settings_throw_out_of_range_naming_the_parameter()
    {
        ((Action)(() => new Conv2d(1, 1, 3, stride: 0))).Should().Throw<ArgumentOutOfRangeException>().Which.ParamName.Should().Be("stride");
        ((Action)(() => new Conv2d(1, 1, 3, padding: -1))).Should().Throw<ArgumentOutOfRangeException>().Which.ParamName.Should().Be("padding");
        ((Action)(() => new Conv1d(1, 1, 3, dilation: 0))).Should().Throw<ArgumentOutOfRangeException>().Which.ParamName.Should().Be("dilation");
        ((Action)(() => new ConvTranspose2d(1, 1, 3, stride: 2, outputPadding: 2))).Should().Throw<ArgumentOutOfRangeException>().Which.ParamName.Should().Be("outputPadding");
        ((Action)(() => new MaxPool2d(3, padding: 2))).Should().Throw<ArgumentOutOfRangeException>().Which.ParamName.Should().Be("padding");
        ((Action)(() => new AvgPool2d(2, stride: 0))).Should().Throw<ArgumentOutOfRangeException>().Which.ParamName.Should().Be("stride");
        ((Action)(() => new Upsample(0.0))).Should().Throw<ArgumentOutOfRangeException>().Which.ParamName.Should().Be("scaleFactor");
        ((Action)(() => new Upsample(2.0, UpsampleMode.Nearest, alignCorners: true))).Should().Throw<ArgumentException>().Which.ParamName.Should().Be("alignCorners");
        var bias = () => Conv2dOp.Forward(new Tensor(1, 1, 3, 3), new Tensor(2, 1, 1, 1), new Tensor(3), (1, 1), (0, 0), (1, 1));
        bias.Should().Throw<ArgumentException>().WithMessage("*bias [2]*[3]*").Which.ParamName.Should().Be("bias");
    }

    [Fact]
    public void Initialization_is_uniform_within_one_over_root_fan_in()
    {
        var conv = new Conv2d(4, 6, (3, 2), (1, 1), (0, 0), (1, 1), random: new RandomSource(1));
        CheckBound(conv.Weight, 1f / MathF.Sqrt(4 * 3 * 2));
        CheckBound(conv.Bias!, 1f / MathF.Sqrt(4 * 3 * 2), spread: false);
        var transposed = new ConvTranspose2d(4, 6, 3, random: new RandomSource(1));
        transposed.Weight.Shape.ToArray().Should().Equal(4, 6, 3, 3);
        CheckBound(transposed.Weight, 1f / MathF.Sqrt(6 * 3 * 3));
        CheckBound(transposed.Bias!, 1f / MathF.Sqrt(6 * 3 * 3), spread: false);
        var conv1d = new Conv1d(5, 2, 4, random: new RandomSource(1));
        CheckBound(conv1d.Weight, 1f / MathF.Sqrt(5 * 4));
    }

    private static void CheckBound(Tensor t, float bound, bool spread = true)
    {
        var values = t.Span.ToArray();
        values.Should().OnlyContain(v => v >= -bound && v < bound);
        if (!spread) return;
        values.Max().Should().BeGreaterThan(bound * 0.5f, "the draws should spread over the whole interval");
        values.Min().Should().BeLessThan(-bound * 0.5f);
    }

    [Fact]
    public void Steady_state_training_step_allocates_nothing()
    {
        var random = new RandomSource(2);
        var network = new Sequential(
            new Conv2d(2, 3, 3, padding: 1, random: random),
            new MaxPool2d(2),
            new ConvTranspose2d(3, 2, 2, stride: 2, random: random),
            new AvgPool2d(3, stride: 1, padding: 1),
            new Upsample(2.0, UpsampleMode.Bilinear),
            new Conv2d(2, 2, 1, random: random),
            new GlobalAvgPool2d());
        var x = new Tensor(2, 2, 6, 6);
        random.FillUniform(x.Span, -1f, 1f);
        var tape = new Tape();
        void Step()
        {
            tape.Reset();
            tape.Backward(TensorOps.Sum(network.Forward(x, tape), tape));
        }
        Step();
        Step();
        long before = GC.GetAllocatedBytesForCurrentThread();
        Step();
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        allocated.Should().Be(0);
        foreach (var parameter in network.Parameters())
            parameter.Grad!.Data.Should().Contain(g => g != 0f, $"{parameter} should receive a gradient");
    }
}
