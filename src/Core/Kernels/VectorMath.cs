using System.Runtime.Intrinsics;

namespace MLNetExt.Core.Kernels;

/// <summary>
/// Accurate building blocks the element-wise operators share, each in scalar, <see cref="Vector256{T}"/> and
/// <see cref="Vector512{T}"/> form with the same formula so every code path gives the same numbers.
/// </summary>
/// <remarks>
/// <para>expm1 and log1p use Kahan's correction (the rounding error of <c>exp(x)</c> or <c>1 + x</c> cancels in
/// the ratio), so they keep full relative precision near 0 where <c>exp(x) − 1</c> and <c>log(1 + x)</c> do not.</para>
/// <para>The normal CDF uses the Chebyshev fit of erfc in Press et al., <i>Numerical Recipes</i> §6.2
/// (relative error below 1.2e−7 for every argument), evaluated on |x| so that the lower tail keeps its
/// relative precision instead of being computed as 1 − (something close to 1).</para>
/// </remarks>
internal static class VectorMath
{
    private const float InverseSqrt2 = 0.70710678118654752f;
    private const float InverseSqrt2Pi = 0.39894228040143268f;

    /// <summary>eˣ − 1: exact near 0, −1 far below 0, +∞ past the float range.</summary>
    public static float Expm1(float x)
    {
        float u = MathF.Exp(x);
        float um1 = u - 1f;
        if (u == 1f) return x;
        if (um1 == -1f) return -1f;
        if (float.IsPositiveInfinity(u)) return u;
        return um1 * x / MathF.Log(u);
    }

    /// <inheritdoc cref="Expm1(float)"/>
    public static Vector128<float> Expm1(Vector128<float> x)
    {
        var u = Vector128.Exp(x);
        var um1 = u - Vector128<float>.One;
        var corrected = um1 * x / Vector128.Log(u);
        var result = Vector128.ConditionalSelect(Vector128.Equals(u, Vector128<float>.One), x, corrected);
        result = Vector128.ConditionalSelect(Vector128.Equals(um1, Vector128.Create(-1f)), um1, result);
        return Vector128.ConditionalSelect(Vector128.IsPositiveInfinity(u), u, result);
    }

    /// <inheritdoc cref="Expm1(float)"/>
    public static Vector256<float> Expm1(Vector256<float> x)
    {
        var u = Vector256.Exp(x);
        var um1 = u - Vector256<float>.One;
        var corrected = um1 * x / Vector256.Log(u);
        var result = Vector256.ConditionalSelect(Vector256.Equals(u, Vector256<float>.One), x, corrected);
        result = Vector256.ConditionalSelect(Vector256.Equals(um1, Vector256.Create(-1f)), um1, result);
        return Vector256.ConditionalSelect(Vector256.IsPositiveInfinity(u), u, result);
    }

    /// <inheritdoc cref="Expm1(float)"/>
    public static Vector512<float> Expm1(Vector512<float> x)
    {
        var u = Vector512.Exp(x);
        var um1 = u - Vector512<float>.One;
        var corrected = um1 * x / Vector512.Log(u);
        var result = Vector512.ConditionalSelect(Vector512.Equals(u, Vector512<float>.One), x, corrected);
        result = Vector512.ConditionalSelect(Vector512.Equals(um1, Vector512.Create(-1f)), um1, result);
        return Vector512.ConditionalSelect(Vector512.IsPositiveInfinity(u), u, result);
    }

    /// <summary>log(1 + x) for x ≥ 0, exact near 0.</summary>
    public static float Log1p(float x)
    {
        float u = 1f + x;
        return u == 1f ? x : MathF.Log(u) * x / (u - 1f);
    }

    /// <inheritdoc cref="Log1p(float)"/>
    public static Vector128<float> Log1p(Vector128<float> x)
    {
        var u = Vector128<float>.One + x;
        return Vector128.ConditionalSelect(Vector128.Equals(u, Vector128<float>.One), x, Vector128.Log(u) * x / (u - Vector128<float>.One));
    }

    /// <inheritdoc cref="Log1p(float)"/>
    public static Vector256<float> Log1p(Vector256<float> x)
    {
        var u = Vector256<float>.One + x;
        return Vector256.ConditionalSelect(Vector256.Equals(u, Vector256<float>.One), x, Vector256.Log(u) * x / (u - Vector256<float>.One));
    }

    /// <inheritdoc cref="Log1p(float)"/>
    public static Vector512<float> Log1p(Vector512<float> x)
    {
        var u = Vector512<float>.One + x;
        return Vector512.ConditionalSelect(Vector512.Equals(u, Vector512<float>.One), x, Vector512.Log(u) * x / (u - Vector512<float>.One));
    }

    /// <summary>The logistic function 1 / (1 + e⁻ᶻ); exp overflowing to +∞ gives exactly 0, never NaN.</summary>
    public static float Sigmoid(float z) => 1f / (1f + MathF.Exp(-z));

    /// <inheritdoc cref="Sigmoid(float)"/>
    public static Vector128<float> Sigmoid(Vector128<float> z) => Vector128<float>.One / (Vector128<float>.One + Vector128.Exp(-z));

    /// <inheritdoc cref="Sigmoid(float)"/>
    public static Vector256<float> Sigmoid(Vector256<float> z) => Vector256<float>.One / (Vector256<float>.One + Vector256.Exp(-z));

    /// <inheritdoc cref="Sigmoid(float)"/>
    public static Vector512<float> Sigmoid(Vector512<float> z) => Vector512<float>.One / (Vector512<float>.One + Vector512.Exp(-z));

    /// <summary>log(1 + eᶻ) in the overflow-free form max(z, 0) + log1p(e^−|z|).</summary>
    public static float Softplus(float z) => MathF.Max(z, 0f) + Log1p(MathF.Exp(-MathF.Abs(z)));

    /// <inheritdoc cref="Softplus(float)"/>
    public static Vector128<float> Softplus(Vector128<float> z)
        => Vector128.Max(z, Vector128<float>.Zero) + Log1p(Vector128.Exp(-Vector128.Abs(z)));

    /// <inheritdoc cref="Softplus(float)"/>
    public static Vector256<float> Softplus(Vector256<float> z)
        => Vector256.Max(z, Vector256<float>.Zero) + Log1p(Vector256.Exp(-Vector256.Abs(z)));

    /// <inheritdoc cref="Softplus(float)"/>
    public static Vector512<float> Softplus(Vector512<float> z)
        => Vector512.Max(z, Vector512<float>.Zero) + Log1p(Vector512.Exp(-Vector512.Abs(z)));

    /// <summary>The standard normal density φ(x) = e^(−x²/2) / √(2π).</summary>
    public static float NormalPdf(float x) => InverseSqrt2Pi * MathF.Exp(-0.5f * x * x);

    /// <inheritdoc cref="NormalPdf(float)"/>
    public static Vector128<float> NormalPdf(Vector128<float> x) => Vector128.Create(InverseSqrt2Pi) * Vector128.Exp(Vector128.Create(-0.5f) * x * x);

    /// <inheritdoc cref="NormalPdf(float)"/>
    public static Vector256<float> NormalPdf(Vector256<float> x) => Vector256.Create(InverseSqrt2Pi) * Vector256.Exp(Vector256.Create(-0.5f) * x * x);

    /// <inheritdoc cref="NormalPdf(float)"/>
    public static Vector512<float> NormalPdf(Vector512<float> x) => Vector512.Create(InverseSqrt2Pi) * Vector512.Exp(Vector512.Create(-0.5f) * x * x);

    /// <summary>The standard normal CDF Φ(x) = ½·erfc(−x/√2).</summary>
    public static float NormalCdf(float x)
    {
        float z = MathF.Abs(x) * InverseSqrt2;
        float t = 1f / (1f + 0.5f * z);
        float tail = 0.5f * t * MathF.Exp(-z * z + ErfcPolynomial(t));
        return x < 0f ? tail : 1f - tail;
    }

    /// <inheritdoc cref="NormalCdf(float)"/>
    public static Vector128<float> NormalCdf(Vector128<float> x)
    {
        var z = Vector128.Abs(x) * Vector128.Create(InverseSqrt2);
        var t = Vector128<float>.One / (Vector128<float>.One + Vector128.Create(0.5f) * z);
        var tail = Vector128.Create(0.5f) * t * Vector128.Exp(ErfcPolynomial(t) - z * z);
        return Vector128.ConditionalSelect(Vector128.LessThan(x, Vector128<float>.Zero), tail, Vector128<float>.One - tail);
    }

    /// <inheritdoc cref="NormalCdf(float)"/>
    public static Vector256<float> NormalCdf(Vector256<float> x)
    {
        var z = Vector256.Abs(x) * Vector256.Create(InverseSqrt2);
        var t = Vector256<float>.One / (Vector256<float>.One + Vector256.Create(0.5f) * z);
        var tail = Vector256.Create(0.5f) * t * Vector256.Exp(ErfcPolynomial(t) - z * z);
        return Vector256.ConditionalSelect(Vector256.LessThan(x, Vector256<float>.Zero), tail, Vector256<float>.One - tail);
    }

    /// <inheritdoc cref="NormalCdf(float)"/>
    public static Vector512<float> NormalCdf(Vector512<float> x)
    {
        var z = Vector512.Abs(x) * Vector512.Create(InverseSqrt2);
        var t = Vector512<float>.One / (Vector512<float>.One + Vector512.Create(0.5f) * z);
        var tail = Vector512.Create(0.5f) * t * Vector512.Exp(ErfcPolynomial(t) - z * z);
        return Vector512.ConditionalSelect(Vector512.LessThan(x, Vector512<float>.Zero), tail, Vector512<float>.One - tail);
    }

    // log(erfc(z)/t) + z² as a polynomial in t = 1/(1 + z/2) (Horner form, Numerical Recipes' coefficients).
    private static float ErfcPolynomial(float t)
        => -1.26551223f + t * (1.00002368f + t * (0.37409196f + t * (0.09678418f + t * (-0.18628806f + t * (0.27886807f
           + t * (-1.13520398f + t * (1.48851587f + t * (-0.82215223f + t * 0.17087277f))))))));

    private static Vector128<float> ErfcPolynomial(Vector128<float> t)
    {
        var p = Vector128.Create(0.17087277f);
        p = Vector128.FusedMultiplyAdd(p, t, Vector128.Create(-0.82215223f));
        p = Vector128.FusedMultiplyAdd(p, t, Vector128.Create(1.48851587f));
        p = Vector128.FusedMultiplyAdd(p, t, Vector128.Create(-1.13520398f));
        p = Vector128.FusedMultiplyAdd(p, t, Vector128.Create(0.27886807f));
        p = Vector128.FusedMultiplyAdd(p, t, Vector128.Create(-0.18628806f));
        p = Vector128.FusedMultiplyAdd(p, t, Vector128.Create(0.09678418f));
        p = Vector128.FusedMultiplyAdd(p, t, Vector128.Create(0.37409196f));
        p = Vector128.FusedMultiplyAdd(p, t, Vector128.Create(1.00002368f));
        return Vector128.FusedMultiplyAdd(p, t, Vector128.Create(-1.26551223f));
    }

    private static Vector256<float> ErfcPolynomial(Vector256<float> t)
    {
        var p = Vector256.Create(0.17087277f);
        p = Vector256.FusedMultiplyAdd(p, t, Vector256.Create(-0.82215223f));
        p = Vector256.FusedMultiplyAdd(p, t, Vector256.Create(1.48851587f));
        p = Vector256.FusedMultiplyAdd(p, t, Vector256.Create(-1.13520398f));
        p = Vector256.FusedMultiplyAdd(p, t, Vector256.Create(0.27886807f));
        p = Vector256.FusedMultiplyAdd(p, t, Vector256.Create(-0.18628806f));
        p = Vector256.FusedMultiplyAdd(p, t, Vector256.Create(0.09678418f));
        p = Vector256.FusedMultiplyAdd(p, t, Vector256.Create(0.37409196f));
        p = Vector256.FusedMultiplyAdd(p, t, Vector256.Create(1.00002368f));
        return Vector256.FusedMultiplyAdd(p, t, Vector256.Create(-1.26551223f));
    }

    private static Vector512<float> ErfcPolynomial(Vector512<float> t)
    {
        var p = Vector512.Create(0.17087277f);
        p = Vector512.FusedMultiplyAdd(p, t, Vector512.Create(-0.82215223f));
        p = Vector512.FusedMultiplyAdd(p, t, Vector512.Create(1.48851587f));
        p = Vector512.FusedMultiplyAdd(p, t, Vector512.Create(-1.13520398f));
        p = Vector512.FusedMultiplyAdd(p, t, Vector512.Create(0.27886807f));
        p = Vector512.FusedMultiplyAdd(p, t, Vector512.Create(-0.18628806f));
        p = Vector512.FusedMultiplyAdd(p, t, Vector512.Create(0.09678418f));
        p = Vector512.FusedMultiplyAdd(p, t, Vector512.Create(0.37409196f));
        p = Vector512.FusedMultiplyAdd(p, t, Vector512.Create(1.00002368f));
        return Vector512.FusedMultiplyAdd(p, t, Vector512.Create(-1.26551223f));
    }
}
