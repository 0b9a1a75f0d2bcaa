using System.Runtime.Intrinsics;
using FluentAssertions;
using MLNetExt.Core.Kernels;

namespace MLNetExt.Core.Tests.Kernels;

public class GateMathTests
{
    // Every float32 value on a grid over [from, to], plus the grid's neighbours one ulp away.
    private static float[] Sweep(float from, float to, int points)
    {
        var values = new List<float>(3 * points);
        for (int i = 0; i <= points; i++)
        {
            float x = from + (to - from) * i / points;
            values.Add(x);
            values.Add(MathF.BitIncrement(x));
            values.Add(MathF.BitDecrement(x));
        }
        return [.. values];
    }

    // Runs a vector form over the inputs in full vectors (the last one zero-padded).
    private static float[] VectorPath<TVector>(float[] inputs, int count, Func<float[], int, TVector> load, Func<TVector, TVector> function,
        Action<TVector, float[], int> store)
    {
        var padded = new float[(inputs.Length + count - 1) / count * count];
        inputs.CopyTo(padded, 0);
        var results = new float[padded.Length];
        for (int i = 0; i < padded.Length; i += count) store(function(load(padded, i)), results, i);
        return results[..inputs.Length];
    }

    private static float[] Vector256Path(float[] inputs, Func<Vector256<float>, Vector256<float>> function)
        => VectorPath(inputs, Vector256<float>.Count, (a, i) => Vector256.Create(a.AsSpan(i, Vector256<float>.Count)), function,
            (v, a, i) => v.CopyTo(a.AsSpan(i, Vector256<float>.Count)));

    private static float[] Vector512Path(float[] inputs, Func<Vector512<float>, Vector512<float>> function)
        => VectorPath(inputs, Vector512<float>.Count, (a, i) => Vector512.Create(a.AsSpan(i, Vector512<float>.Count)), function,
            (v, a, i) => v.CopyTo(a.AsSpan(i, Vector512<float>.Count)));

    private static void AssertRelativeError(float[] inputs, Func<float, float> function, Func<double, double> reference, double bound, string name)
    {
        double worst = 0;
        float worstAt = 0;
        foreach (float x in inputs)
        {
            double expected = reference(x);
            double error = Math.Abs(function(x) - expected) / Math.Max(Math.Abs(expected), 1e-30);
            if (error > worst) (worst, worstAt) = (error, x);
        }
        worst.Should().BeLessThan(bound, $"{name} is worst at x = {worstAt:R}");
    }

    [Fact]
    public void Exp_is_within_three_ulp_over_the_float_range()
        => AssertRelativeError(Sweep(-86.99f, 87.99f, 200_000), GateMath.Exp, Math.Exp, 3.6e-7, "exp");

    [Fact]
    public void Sigmoid_is_within_three_ulp_on_both_tails()
        => AssertRelativeError(Sweep(-80f, 40f, 200_000), GateMath.Sigmoid, x => 1 / (1 + Math.Exp(-x)), 3.6e-7, "sigmoid");

    [Fact]
    public void Tanh_keeps_relative_precision_near_zero_and_across_the_series_switch()
    {
        AssertRelativeError(Sweep(-12f, 12f, 200_000), GateMath.Tanh, Math.Tanh, 3.6e-7, "tanh");
        AssertRelativeError(Sweep(-1e-3f, 1e-3f, 20_000), GateMath.Tanh, Math.Tanh, 1.2e-7, "tanh near 0");
        AssertRelativeError(Sweep(0.49f, 0.51f, 20_000), GateMath.Tanh, Math.Tanh, 3.6e-7, "tanh at the series limit");
    }

    [Fact]
    public void Vector_and_scalar_forms_agree_bit_for_bit()
    {
        var inputs = Sweep(-100f, 100f, 50_000);
        Vector256Path(inputs, GateMath.Exp).Should().Equal(inputs.Select(GateMath.Exp));
        Vector256Path(inputs, GateMath.Sigmoid).Should().Equal(inputs.Select(GateMath.Sigmoid));
        Vector256Path(inputs, GateMath.Tanh).Should().Equal(inputs.Select(GateMath.Tanh));
        Vector512Path(inputs, GateMath.Exp).Should().Equal(inputs.Select(GateMath.Exp));
        Vector512Path(inputs, GateMath.Sigmoid).Should().Equal(inputs.Select(GateMath.Sigmoid));
        Vector512Path(inputs, GateMath.Tanh).Should().Equal(inputs.Select(GateMath.Tanh));
    }

    [Fact]
    public void Infinities_saturate_and_NaN_propagates()
    {
        float[] inputs = [float.PositiveInfinity, float.NegativeInfinity, float.NaN, 0f, -0f, 1e30f, -1e30f];
        foreach (var (vector, scalar) in new (Func<Vector256<float>, Vector256<float>>, Func<float, float>)[]
            { (GateMath.Sigmoid, GateMath.Sigmoid), (GateMath.Tanh, GateMath.Tanh), (GateMath.Exp, GateMath.Exp) })
        {
            var fromVectors = Vector256Path(inputs, vector);
            fromVectors.Should().Equal(inputs.Select(scalar));
            float.IsNaN(fromVectors[2]).Should().BeTrue();
        }
        GateMath.Sigmoid(float.PositiveInfinity).Should().Be(1f);
        GateMath.Sigmoid(float.NegativeInfinity).Should().BeLessThan(1e-37f).And.BeGreaterThanOrEqualTo(0f);
        GateMath.Tanh(float.PositiveInfinity).Should().Be(1f);
        GateMath.Tanh(float.NegativeInfinity).Should().Be(-1f);
        GateMath.Tanh(1e30f).Should().Be(1f);
        float.IsNegative(GateMath.Tanh(-0f)).Should().BeTrue("tanh keeps the sign of zero");
        GateMath.Sigmoid(0f).Should().Be(0.5f);
    }

    [Fact]
    public unsafe void Passes_add_the_bias_and_match_the_element_functions_on_every_length_in_place_or_not()
    {
        for (int length = 0; length <= 2 * Vector512<float>.Count + Vector256<float>.Count + 3; length++)
        {
            var values = Sweep(-9f, 9f, length)[..length];
            var bias = Sweep(-2f, 3f, length)[..length];
            var sigmoid = new float[length];
            var tanh = new float[length];
            var sigmoidInPlace = (float[])values.Clone();
            var tanhInPlace = (float[])values.Clone();
            fixed (float* v = values, b = bias, s = sigmoid, t = tanh, si = sigmoidInPlace, ti = tanhInPlace)
            {
                GateMath.Sigmoid(v, null, s, length);
                GateMath.Tanh(v, null, t, length);
                GateMath.Sigmoid(si, b, si, length);
                GateMath.Tanh(ti, b, ti, length);
            }
            sigmoid.Should().Equal(values.Select(GateMath.Sigmoid), $"length {length}");
            tanh.Should().Equal(values.Select(GateMath.Tanh), $"length {length}");
            sigmoidInPlace.Should().Equal(values.Select((x, i) => GateMath.Sigmoid(x + bias[i])), $"length {length} with bias, in place");
            tanhInPlace.Should().Equal(values.Select((x, i) => GateMath.Tanh(x + bias[i])), $"length {length} with bias, in place");
        }
    }
}
