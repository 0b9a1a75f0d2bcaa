using System.Runtime.Intrinsics;
using MLNetExt.Core.Kernels;
using MLNetExt.Core.Tests.Infrastructure;

namespace MLNetExt.Core.Tests.Activations;

/// <summary>
/// Every element-wise operator against a double-precision scalar reference, for every length from 0 to
/// 2×Vector512&lt;float&gt;.Count + 3 (full vectors, then the scalar tail). Run the suite with
/// DOTNET_EnableAVX512F=0 and DOTNET_EnableAVX2=0 as well to cover the Vector256 and scalar paths.
/// </summary>
public class ElementwiseKernelTests
{
    private static readonly int MaxLength = 2 * Vector512<float>.Count + 3;

    private static float[] Values(ulong seed, int length, float low, float high)
    {
        var values = new float[length];
        new RandomSource(seed).FillUniform(values, low, high);
        return values;
    }

    private static void CheckUnary<TOp>(TOp op, Func<double, double> reference, float low = -6f, float high = 6f) where TOp : struct, IUnaryOperator
    {
        for (int n = 0; n <= MaxLength; n++)
        {
            var x = Values((ulong)n, n, low, high);
            var expected = x.Select(v => (float)reference(v)).ToArray();
            var actual = new float[n];
            ElementwiseLoop.Map(x, actual, op);
            TensorAssert.Close(actual, expected, rtol: 1e-5, atol: 1e-6, what: $"{typeof(TOp).Name} length {n}");
            ElementwiseLoop.Map(x, x, op);
            TensorAssert.Close(x, expected, rtol: 1e-5, atol: 1e-6, what: $"{typeof(TOp).Name} in place, length {n}");
        }
    }

    private static void CheckBinary<TOp>(TOp op, Func<double, double, double> reference,
        float low = -6f, float high = 6f, float secondLow = -2f, float secondHigh = 2f) where TOp : struct, IBinaryOperator
    {
        for (int n = 0; n <= MaxLength; n++)
        {
            var x = Values((ulong)n, n, low, high);
            var y = Values((ulong)n + 100, n, secondLow, secondHigh);
            var expected = x.Select((v, i) => (float)reference(v, y[i])).ToArray();
            var actual = new float[n];
            ElementwiseLoop.Map(x, y, actual, op);
            TensorAssert.Close(actual, expected, rtol: 1e-5, atol: 1e-6, what: $"{typeof(TOp).Name} length {n}");

            var accumulated = Enumerable.Repeat(0.5f, n + 1).ToArray();
            ElementwiseLoop.AccumulateMap(x, y, accumulated, op);
            TensorAssert.Close(accumulated.AsSpan(0, n), expected.Select(v => v + 0.5f).ToArray(), rtol: 1e-5, atol: 2e-6, what: $"{typeof(TOp).Name} accumulated, length {n}");
            Assert.Equal(0.5f, accumulated[n]);

            double sum = expected.Sum(v => (double)v);
            Assert.InRange(ElementwiseLoop.SumMap(x, y, op), sum - 1e-4 - 1e-5 * Math.Abs(sum), sum + 1e-4 + 1e-5 * Math.Abs(sum));
        }
    }

    private static void CheckTernary<TOp>(TOp op, Func<double, double, double, double> reference) where TOp : struct, ITernaryOperator
    {
        for (int n = 0; n <= MaxLength; n++)
        {
            var x = Values((ulong)n, n, -8f, 8f);
            var y = Values((ulong)n + 100, n, 0f, 1f);
            var z = Values((ulong)n + 200, n, 0.2f, 3f);
            var expected = x.Select((v, i) => (float)reference(v, y[i], z[i])).ToArray();
            var actual = new float[n];
            ElementwiseLoop.Map(x, y, z, actual, op);
            TensorAssert.Close(actual, expected, rtol: 1e-5, atol: 1e-6, what: $"{typeof(TOp).Name} length {n}");
        }
    }

    private static double Sigmoid(double z) => 1.0 / (1.0 + Math.Exp(-z));

    private static double Log1p(double e) => e < 1e-5 ? e - e * e / 2 + e * e * e / 3 : Math.Log(1 + e);

    private static double Expm1(double x) => Math.Abs(x) < 1e-5 ? x + x * x / 2 + x * x * x / 6 : Math.Exp(x) - 1;

    private static double Softplus(double z) => Math.Max(z, 0) + Log1p(Math.Exp(-Math.Abs(z)));

    /// <summary>erfc by its Taylor series for small arguments and its continued fraction for large ones.</summary>
    private static double Erfc(double z)
    {
        if (z < 0) return 2 - Erfc(-z);
        if (z < 2.5)
        {
            double term = z, sum = z;
            for (int n = 1; n < 80; n++)
            {
                term *= -z * z / n;
                sum += term / (2 * n + 1);
            }
            return 1 - 2 / Math.Sqrt(Math.PI) * sum;
        }
        double fraction = z;
        for (int n = 80; n >= 1; n--) fraction = z + n / 2.0 / fraction;
        return Math.Exp(-z * z) / (Math.Sqrt(Math.PI) * fraction);
    }

    private static double Phi(double x) => 0.5 * Erfc(-x / Math.Sqrt(2));

    private static double NormalPdf(double x) => Math.Exp(-x * x / 2) / Math.Sqrt(2 * Math.PI);

    [Fact]
    public void Activation_operators_match_scalar_references()
    {
        CheckUnary(new LeakyReluOperator(0.1f), x => x > 0 ? x : 0.1 * x);
        CheckUnary(new EluOperator(0.7f, 1.3f), x => x > 0 ? 1.3 * x : 1.3 * 0.7 * Expm1(x));
        CheckUnary(new EluOperator(1f, 1f), x => x > 0 ? x : Expm1(x), -1e-3f, 1e-3f);
        CheckUnary(new SoftplusOperator(1.5f, 6f), x => 1.5 * x > 6 ? x : Softplus(1.5 * x) / 1.5);
        CheckUnary(new SoftplusOperator(1f, 20f), x => Softplus(x), -40f, 30f);
        CheckUnary(default(GeluOperator), x => x * Phi(x));
        CheckUnary(default(GeluTanhOperator), x => 0.5 * x * (1 + Math.Tanh(Math.Sqrt(2 / Math.PI) * (x + 0.044715 * x * x * x))));
    }

    [Fact]
    public void Activation_gradient_operators_match_scalar_references()
    {
        CheckBinary(new LeakyReluGradientOperator(0.1f), (x, dy) => x > 0 ? dy : 0.1 * dy);
        CheckBinary(default(ReluGradientOperator), (x, dy) => x > 0 ? dy : 0);
        CheckBinary(new EluGradientOperator(0.7f, 1.3f), (x, dy) => dy * (x > 0 ? 1.3 : 1.3 * 0.7 * Math.Exp(x)));
        CheckBinary(new SoftplusGradientOperator(1.5f, 6f), (x, dy) => 1.5 * x > 6 ? dy : dy * Sigmoid(1.5 * x));
        CheckBinary(default(SigmoidGradientOperator), (y, dy) => dy * y * (1 - y), 0f, 1f);
        CheckBinary(default(TanhGradientOperator), (y, dy) => dy * (1 - y * y), -1f, 1f);
        CheckBinary(default(GeluGradientOperator), (x, dy) => dy * (Phi(x) + x * NormalPdf(x)));
        CheckBinary(default(GeluTanhGradientOperator), (x, dy) =>
        {
            double k = Math.Sqrt(2 / Math.PI), th = Math.Tanh(k * (x + 0.044715 * x * x * x));
            return dy * (0.5 * (1 + th) + 0.5 * x * (1 - th * th) * k * (1 + 3 * 0.044715 * x * x));
        });
        CheckBinary(default(PreluWeightGradientOperator), (x, dy) => x > 0 ? 0 : x * dy);
        CheckBinary(new LogSoftmaxGradientOperator(0.8f), (y, dy) => dy - Math.Exp(y) * 0.8, -6f, 0f);
    }

    [Fact]
    public void Loss_operators_match_scalar_references()
    {
        CheckBinary(new HuberOperator(0.7f), (x, t) => Math.Abs(x - t) <= 0.7 ? 0.5 * (x - t) * (x - t) : 0.7 * (Math.Abs(x - t) - 0.35));
        CheckBinary(new HuberGradientOperator(0.7f), (x, t) => Math.Clamp(x - t, -0.7, 0.7));
        CheckBinary(default(L1GradientOperator), (x, t) => Math.Sign(x - t));
        CheckBinary(default(BinaryCrossEntropyOperator), (p, t) => -(t * Math.Log(p) + (1 - t) * Math.Log(1 - p)), 0.01f, 0.99f, 0f, 1f);
        CheckBinary(default(BinaryCrossEntropyGradientOperator), (p, t) => (p - t) / (p * (1 - p)), 0.01f, 0.99f, 0f, 1f);
        CheckBinary(new KLDivergenceOperator(false), (x, t) => t * Math.Log(t) - t * x, -6f, 0f, 0.001f, 1f);
        CheckBinary(new KLDivergenceOperator(true), (x, t) => Math.Exp(t) * (t - x), -6f, 0f, -6f, 0f);
        CheckTernary(default(BinaryCrossEntropyWithLogitsOperator), (x, t, w) => -(w * t * Math.Log(Sigmoid(x)) + (1 - t) * Math.Log(1 - Sigmoid(x))));
        CheckTernary(default(BinaryCrossEntropyWithLogitsGradientOperator), (x, t, w) => (w * t + 1 - t) * Sigmoid(x) - w * t);
    }

    [Fact]
    public void Special_values_follow_pytorch()
    {
        Assert.Equal(0f, new BinaryCrossEntropyOperator().Invoke(0f, 0f));
        Assert.Equal(100f, new BinaryCrossEntropyOperator().Invoke(0f, 1f));
        Assert.Equal(0f, new KLDivergenceOperator(false).Invoke(-3f, 0f));
        var zeros = new float[Vector512<float>.Count + 1];
        var logs = Enumerable.Repeat(-2f, zeros.Length).ToArray();
        var destination = new float[zeros.Length];
        ElementwiseLoop.Map(logs, zeros, destination, new KLDivergenceOperator(false));
        Assert.All(destination, v => Assert.Equal(0f, v));
    }

    [Fact]
    public void Mismatched_lengths_are_rejected()
    {
        Assert.Throws<ArgumentException>(() => ElementwiseLoop.Map(new float[4], new float[3], new float[4], default(ReluGradientOperator)));
        Assert.Throws<ArgumentException>(() => ElementwiseLoop.Map(new float[4], new float[3], new LeakyReluOperator(0.1f)));
    }
}
