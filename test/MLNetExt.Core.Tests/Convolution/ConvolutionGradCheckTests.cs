using MLNetExt.Core.Ops;
using MLNetExt.Core.Tests.Infrastructure;

namespace MLNetExt.Core.Tests.Convolution;

/// <summary>Finite-difference checks of every convolution and pooling op, for input, weight and bias.</summary>
public class ConvolutionGradCheckTests
{
    private static Tensor Random(ulong seed, params int[] shape)
    {
        var t = new Tensor(shape);
        new RandomSource(seed).FillUniform(t.Span, -1f, 1f);
        return t;
    }

    [Theory]
    [InlineData(1, 1, 0, 0, 1, 1)]
    [InlineData(2, 1, 1, 0, 1, 2)]
    [InlineData(2, 2, 1, 1, 2, 1)]
    public void Conv2d_passes_gradient_check(int strideH, int strideW, int padH, int padW, int dilationH, int dilationW)
    {
        var x = Random(1, 2, 2, 6, 5);
        var weight = Random(2, 3, 2, 3, 2);
        var bias = Random(3, 3);
        GradCheck.Check(t => Conv2dOp.Forward(x, weight, bias, (strideH, strideW), (padH, padW), (dilationH, dilationW), t), [x, weight, bias]);
    }

    [Fact]
    public void Conv2d_pointwise_passes_gradient_check()
    {
        var x = Random(4, 2, 3, 3, 4);
        var weight = Random(5, 2, 3, 1, 1);
        var bias = Random(6, 2);
        GradCheck.Check(t => Conv2dOp.Forward(x, weight, bias, (1, 1), (0, 0), (1, 1), t), [x, weight, bias]);
    }

    [Theory]
    [InlineData(1, 0, 1)]
    [InlineData(2, 1, 2)]
    public void Conv1d_passes_gradient_check(int stride, int padding, int dilation)
    {
        var x = Random(7, 2, 3, 9);
        var weight = Random(8, 2, 3, 3);
        var bias = Random(9, 2);
        GradCheck.Check(t => Conv1dOp.Forward(x, weight, bias, stride, padding, dilation, t), [x, weight, bias]);
    }

    [Theory]
    [InlineData(1, 1, 0, 0, 0, 0, 1)]
    [InlineData(2, 2, 1, 1, 1, 1, 1)]
    [InlineData(2, 3, 0, 1, 1, 2, 1)]
    [InlineData(2, 2, 1, 1, 1, 1, 2)]
    public void ConvTranspose2d_passes_gradient_check(int strideH, int strideW, int padH, int padW, int outPadH, int outPadW, int dilation)
    {
        var x = Random(10, 2, 2, 3, 3);
        var weight = Random(11, 2, 3, 3, 2);
        var bias = Random(12, 3);
        GradCheck.Check(t => ConvTranspose2dOp.Forward(x, weight, bias, (strideH, strideW), (padH, padW), (outPadH, outPadW), (dilation, dilation), t),
            [x, weight, bias]);
    }

    [Fact]
    public void MaxPool2d_passes_gradient_check()
    {
        // Distinct values spaced well beyond the finite-difference step, so no perturbation changes an argmax.
        var x = new Tensor(2, 2, 5, 6);
        for (int i = 0; i < x.Length; i++) x[i] = (i * 37 % x.Length) * 0.1f;
        GradCheck.Check(t => MaxPool2dOp.Forward(x, (3, 2), (2, 2), (1, 1), t), [x]);
        GradCheck.Check(t => MaxPool2dOp.Forward(x, (2, 2), (1, 1), (0, 0), t), [x]);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void AvgPool2d_passes_gradient_check(bool countIncludePad)
    {
        var x = Random(13, 2, 2, 5, 6);
        GradCheck.Check(t => AvgPool2dOp.Forward(x, (3, 2), (2, 1), (1, 1), countIncludePad, t), [x]);
    }

    [Fact]
    public void GlobalAvgPool2d_passes_gradient_check()
    {
        var x = Random(14, 2, 3, 4, 5);
        GradCheck.Check(t => GlobalAvgPool2dOp.Forward(x, t), [x]);
    }

    [Theory]
    [InlineData(UpsampleMode.Nearest, false)]
    [InlineData(UpsampleMode.Bilinear, false)]
    [InlineData(UpsampleMode.Bilinear, true)]
    public void Upsample_passes_gradient_check(UpsampleMode mode, bool alignCorners)
    {
        var x = Random(15, 2, 2, 3, 4);
        GradCheck.Check(t => UpsampleOp.Forward(x, (5, 7), mode, alignCorners, t), [x]);
        GradCheck.Check(t => UpsampleOp.ForwardScaled(x, (2.0, 1.5), mode, alignCorners, t), [x]);
    }
}
