using FluentAssertions;
using MLNetExt.Core.Tests.Infrastructure;

// Not "…Tests.Init": a namespace of that name would hide the Init class inside this file.
namespace MLNetExt.Core.Tests.Initialization;

public class InitializerTests
{
    private static (double Mean, double Variance) Moments(Tensor t)
    {
        double mean = 0;
        foreach (float v in t.Span) mean += v;
        mean /= t.Length;
        double variance = 0;
        foreach (float v in t.Span) variance += (v - mean) * (v - mean);
        return (mean, variance / t.Length);
    }

    private static void ShouldHaveMoments(Tensor t, double variance, double relativeTolerance = 0.03)
    {
        var (mean, sampleVariance) = Moments(t);
        mean.Should().BeApproximately(0, 4 * Math.Sqrt(variance / t.Length));
        sampleVariance.Should().BeApproximately(variance, relativeTolerance * variance);
    }

    [Theory]
    [InlineData("linear", 1.0)]
    [InlineData("conv2d", 1.0)]
    [InlineData("conv_transpose3d", 1.0)]
    [InlineData("sigmoid", 1.0)]
    [InlineData("tanh", 5.0 / 3.0)]
    [InlineData("relu", 1.4142135623730951)]
    [InlineData("leaky_relu", 1.4141428569978354)]
    [InlineData("selu", 0.75)]
    public void Gains_match_pytorch(string nonlinearity, double expected)
    {
        Init.CalculateGain(nonlinearity).Should().BeApproximately((float)expected, 1e-6f);
    }

    [Fact]
    public void Leaky_relu_gain_uses_the_slope_and_unknown_names_are_rejected()
    {
        Init.CalculateGain("leaky_relu", 0.2f).Should().BeApproximately(MathF.Sqrt(2f / 1.04f), 1e-6f);
        Init.CalculateGain("leaky_relu", 0f).Should().BeApproximately(MathF.Sqrt(2f), 1e-6f);
        FluentActions.Invoking(() => Init.CalculateGain("swish")).Should().Throw<ArgumentException>()
            .WithMessage("*swish*").And.ParamName.Should().Be("nonlinearity");
    }

    [Fact]
    public void Fans_follow_pytorch_with_the_receptive_field()
    {
        Init.CalculateFanInAndFanOut([3, 4]).Should().Be((4, 3));
        Init.CalculateFanInAndFanOut([16, 8, 3, 3]).Should().Be((72, 144));
        Init.CalculateFanInAndFanOut([6, 2, 5]).Should().Be((10, 30));
        FluentActions.Invoking(() => Init.CalculateFanInAndFanOut([5])).Should().Throw<ArgumentException>().WithMessage("*at least 2 dimensions*[5]*");
        FluentActions.Invoking(() => Init.XavierUniform(new Tensor(5))).Should().Throw<ArgumentException>();
        FluentActions.Invoking(() => Init.KaimingNormal(new Tensor(5))).Should().Throw<ArgumentException>();
        FluentActions.Invoking(() => Init.Orthogonal(new Tensor(5))).Should().Throw<ArgumentException>().WithParameterName("tensor");
    }

    [Fact]
    public void Xavier_uniform_stays_in_bounds_with_the_glorot_variance()
    {
        var t = Init.XavierUniform(new Tensor(300, 200), gain: 2f, random: new RandomSource(1));
        float bound = 2f * MathF.Sqrt(6f / 500f);
        t.Span.ToArray().Should().AllSatisfy(v => Math.Abs(v).Should().BeLessThanOrEqualTo(bound));
        t.Span.ToArray().Max().Should().BeGreaterThan(0.99f * bound);
        ShouldHaveMoments(t, 4.0 * 2.0 / 500.0);
    }

    [Fact]
    public void Xavier_normal_has_the_glorot_variance()
    {
        ShouldHaveMoments(Init.XavierNormal(new Tensor(300, 200), random: new RandomSource(2)), 2.0 / 500.0);
    }

    [Fact]
    public void Kaiming_uniform_uses_the_fan_and_gain_of_the_arguments()
    {
        // Default: leaky_relu with a = 0 (gain √2) over fan_in = 32·3·3.
        var t = Init.KaimingUniform(new Tensor(64, 32, 3, 3), random: new RandomSource(3));
        float bound = MathF.Sqrt(6f / 288f);
        t.Span.ToArray().Should().AllSatisfy(v => Math.Abs(v).Should().BeLessThanOrEqualTo(bound));
        ShouldHaveMoments(t, 2.0 / 288.0);

        // Linear's default, a = √5, gives U(−1/√fan_in, 1/√fan_in).
        var linear = Init.KaimingUniform(new Tensor(400, 100), a: MathF.Sqrt(5f), random: new RandomSource(4));
        ShouldHaveMoments(linear, 1.0 / 3.0 / 100.0);

        var fanOut = Init.KaimingUniform(new Tensor(64, 32, 3, 3), mode: "fan_out", nonlinearity: "relu", random: new RandomSource(5));
        ShouldHaveMoments(fanOut, 2.0 / 576.0);
        FluentActions.Invoking(() => Init.KaimingUniform(new Tensor(2, 2), mode: "fan_avg")).Should().Throw<ArgumentException>().WithParameterName("mode");
    }

    [Fact]
    public void Kaiming_and_lecun_normal_have_their_variances()
    {
        ShouldHaveMoments(Init.KaimingNormal(new Tensor(128, 16, 5, 5), nonlinearity: "relu", random: new RandomSource(6)), 2.0 / 400.0);
        ShouldHaveMoments(Init.KaimingNormal(new Tensor(128, 16, 5, 5), mode: "fan_out", nonlinearity: "tanh", random: new RandomSource(7)), 25.0 / 9.0 / 3200.0);
        ShouldHaveMoments(Init.LeCunNormal(new Tensor(500, 120), new RandomSource(8)), 1.0 / 120.0);
    }

    [Theory]
    [InlineData(new[] { 30, 50 }, 1f)]
    [InlineData(new[] { 50, 30 }, 1f)]
    [InlineData(new[] { 40, 40 }, 1f)]
    [InlineData(new[] { 8, 4, 3 }, 2f)]
    [InlineData(new[] { 24, 2, 3 }, 0.5f)]
    public void Orthogonal_gives_orthonormal_rows_or_columns(int[] shape, float gain)
    {
        var t = Init.Orthogonal(new Tensor(shape), gain, new RandomSource(9));
        int rows = shape[0], cols = t.Length / rows;
        bool wide = rows < cols;
        int size = wide ? rows : cols, inner = wide ? cols : rows;
        for (int i = 0; i < size; i++)
            for (int j = 0; j < size; j++)
            {
                double dot = 0;
                for (int k = 0; k < inner; k++)
                    dot += wide ? (double)t.Data[i * cols + k] * t.Data[j * cols + k] : (double)t.Data[k * cols + i] * t.Data[k * cols + j];
                dot.Should().BeApproximately(i == j ? gain * gain : 0, 1e-5, $"entry ({i}, {j}) of the Gram matrix");
            }
    }

    [Fact]
    public void Orthogonal_factor_matches_pytorch_qr_with_the_sign_fix()
    {
        var reference = ReferenceData.Load("layers/orthogonal_qr.json");
        double[] a = reference.Values("a").Select(v => (double)v).ToArray();
        double[] q = Init.OrthonormalFactor(a, 6, 4);
        TensorAssert.Close(q.Select(v => (float)v).ToArray(), reference.Values("q"), what: "Q");
    }

    [Fact]
    public void Constant_uniform_and_normal_fills()
    {
        Init.Zeros(Tensor.FromValues([1f, 2f], 2)).Span.ToArray().Should().Equal(0f, 0f);
        Init.Ones(new Tensor(3)).Span.ToArray().Should().Equal(1f, 1f, 1f);
        var uniform = Init.Uniform(new Tensor(50_000), -2f, 3f, new RandomSource(10));
        uniform.Span.ToArray().Should().AllSatisfy(v => v.Should().BeInRange(-2f, 3f));
        Moments(uniform).Mean.Should().BeApproximately(0.5, 0.03);
        Moments(uniform).Variance.Should().BeApproximately(25.0 / 12.0, 0.06);
        var normal = Init.Normal(new Tensor(50_000), 1.5f, 0.5f, new RandomSource(11));
        Moments(normal).Mean.Should().BeApproximately(1.5, 0.01);
        Moments(normal).Variance.Should().BeApproximately(0.25, 0.01);
        FluentActions.Invoking(() => Init.Uniform(new Tensor(2), 1f, 0f)).Should().Throw<ArgumentException>().WithParameterName("low");
        FluentActions.Invoking(() => Init.Normal(new Tensor(2), 0f, -1f)).Should().Throw<ArgumentOutOfRangeException>().WithParameterName("std");
    }

    [Fact]
    public void Same_seed_gives_the_same_weights()
    {
        var first = Init.Orthogonal(new Tensor(5, 7), random: new RandomSource(12)).Span.ToArray();
        Init.Orthogonal(new Tensor(5, 7), random: new RandomSource(12)).Span.ToArray().Should().Equal(first);
        var xavier = Init.XavierNormal(new Tensor(4, 4), random: new RandomSource(13)).Span.ToArray();
        Init.XavierNormal(new Tensor(4, 4), random: new RandomSource(13)).Span.ToArray().Should().Equal(xavier);
        Init.XavierNormal(new Tensor(4, 4), random: new RandomSource(14)).Span.ToArray().Should().NotEqual(xavier);
    }
}
