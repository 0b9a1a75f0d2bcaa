using FluentAssertions;
using MLNetExt.Core.Modules;
using MLNetExt.Core.Ops;

namespace MLNetExt.Core.Tests.Convolution;

/// <summary>The course's worked convolution examples and the AlexNet shape and weight counts, exactly.</summary>
public class CourseExampleTests
{
    private static Tensor Image(float[,] values)
    {
        int rows = values.GetLength(0), columns = values.GetLength(1);
        var t = new Tensor(1, 1, rows, columns);
        for (int i = 0; i < rows; i++)
            for (int j = 0; j < columns; j++) t[i * columns + j] = values[i, j];
        return t;
    }

    private static float[] Flat(float[,] values) => values.Cast<float>().ToArray();

    [Fact]
    public void Five_by_five_input_with_three_by_three_filter()
    {
        var x = Image(new float[,] { { 3, 5, 2, 8, 1 }, { 9, 7, 5, 4, 3 }, { 2, 0, 6, 1, 6 }, { 6, 3, 7, 9, 2 }, { 1, 4, 9, 5, 1 } });
        var filter = Image(new float[,] { { 1, 0, 0 }, { 1, 1, 0 }, { 0, 0, 1 } });
        var y = Conv2dOp.Forward(x, filter, null, (1, 1), (0, 0), (1, 1));
        y.Shape.ToArray().Should().Equal(1, 1, 3, 3);
        y.Span.ToArray().Should().Equal(Flat(new float[,] { { 25, 18, 17 }, { 18, 22, 14 }, { 20, 15, 23 } }));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void Six_by_six_binary_image_with_diagonal_filter(int stride)
    {
        var x = Image(new float[,]
        {
            { 1, 0, 0, 0, 0, 1 }, { 0, 1, 0, 0, 1, 0 }, { 0, 0, 1, 1, 0, 0 },
            { 1, 0, 0, 0, 1, 0 }, { 0, 1, 0, 0, 1, 0 }, { 0, 0, 1, 0, 1, 0 },
        });
        var filter = Image(new float[,] { { 1, -1, -1 }, { -1, 1, -1 }, { -1, -1, 1 } });
        var expected = stride == 1
            ? new float[,] { { 3, -1, -3, -1 }, { -3, 1, 0, -3 }, { -3, -3, 0, 1 }, { 3, -2, -2, -1 } }
            : new float[,] { { 3, -3 }, { -3, 0 } };
        var y = Conv2dOp.Forward(x, filter, null, (stride, stride), (0, 0), (1, 1));
        y.Shape.ToArray().Should().Equal(1, 1, expected.GetLength(0), expected.GetLength(1));
        y.Span.ToArray().Should().Equal(Flat(expected));
    }

    [Fact]
    public void One_dimensional_convolution()
    {
        var y = Conv1dOp.Forward(Tensor.FromValues([1, 2, 3, 4], 1, 1, 4), Tensor.FromValues([3, 2], 1, 1, 2), null);
        y.Shape.ToArray().Should().Equal(1, 1, 3);
        y.Span.ToArray().Should().Equal(7f, 12f, 17f);
    }

    [Theory]
    [InlineData(227, 11, 0, 4, 1, 55)]
    [InlineData(27, 5, 2, 1, 1, 27)]
    [InlineData(55, 3, 0, 2, 1, 27)]
    [InlineData(32, 5, 0, 1, 1, 28)]
    [InlineData(32, 3, 1, 1, 1, 32)]
    [InlineData(6, 3, 0, 2, 1, 2)]
    [InlineData(7, 3, 1, 2, 1, 4)]
    [InlineData(8, 2, 0, 3, 1, 3)]
    [InlineData(7, 3, 2, 1, 2, 7)]
    [InlineData(3, 5, 0, 1, 1, -1)]
    public void Output_size_follows_the_formula(int input, int kernel, int padding, int stride, int dilation, int expected)
    {
        ConvolutionArithmetic.OutputSize(input, kernel, padding, stride, dilation).Should().Be(expected);
        if (dilation == 1 && (input - kernel + 2 * padding) % stride == 0)
            expected.Should().Be((input - kernel + 2 * padding) / stride + 1);
    }

    [Theory]
    [InlineData(4, 3, 1, 2, 1, 1, 8)]
    [InlineData(3, 3, 0, 1, 1, 0, 5)]
    [InlineData(27, 5, 2, 1, 1, 0, 27)]
    [InlineData(3, 3, 1, 2, 2, 1, 8)]
    public void Transposed_output_size_inverts_the_convolution(int input, int kernel, int padding, int stride, int dilation, int outputPadding, int expected)
    {
        ConvolutionArithmetic.TransposedOutputSize(input, kernel, padding, stride, dilation, outputPadding).Should().Be(expected);
        ConvolutionArithmetic.OutputSize(expected, kernel, padding, stride, dilation).Should().Be(input);
    }

    [Fact]
    public void AlexNet_shapes_and_weight_counts()
    {
        var random = new RandomSource(3);
        var conv1 = new Conv2d(3, 96, 11, stride: 4, random: random);
        var pool1 = new MaxPool2d(3, stride: 2);
        var conv2 = new Conv2d(96, 256, 5, padding: 2, random: random);
        int[] input = [1, 3, 227, 227];

        int[] afterConv1 = conv1.OutputShape(input);
        afterConv1.Should().Equal(1, 96, 55, 55);
        conv1.Weight.Length.Should().Be(34_848);
        int[] afterPool1 = pool1.OutputShape(afterConv1);
        afterPool1.Should().Equal(1, 96, 27, 27);
        int[] afterConv2 = conv2.OutputShape(afterPool1);
        afterConv2.Should().Equal(1, 256, 27, 27);
        conv2.Weight.Length.Should().Be(614_400);

        var rest = new Sequential(
            new MaxPool2d(3, stride: 2),
            new Conv2d(256, 384, 3, padding: 1, random: random),
            new Conv2d(384, 384, 3, padding: 1, random: random),
            new Conv2d(384, 256, 3, padding: 1, random: random),
            new MaxPool2d(3, stride: 2));
        rest.OutputShape(afterConv2).Should().Equal(1, 256, 6, 6);

        var fc1 = new Linear(6 * 6 * 256, 4096, random: random);
        fc1.Weight.Length.Should().Be(37_748_736);
    }
}
