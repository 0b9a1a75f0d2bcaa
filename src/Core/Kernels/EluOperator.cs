using System.Runtime.Intrinsics;

namespace MLNetExt.Core.Kernels;

/// <summary>
/// ELU with an output scale (SELU is scale λ): effectively computes
/// <c>destination[i] = x[i] &gt; 0 ? scale · x[i] : scale · alpha · (e^x[i] − 1)</c>, with an exact expm1.
/// </summary>
internal readonly struct EluOperator(float alpha, float scale) : IUnaryOperator
{
    public float Invoke(float x) => x > 0f ? scale * x : scale * alpha * VectorMath.Expm1(x);

    public Vector128<float> Invoke(Vector128<float> x)
        => Vector128.ConditionalSelect(Vector128.GreaterThan(x, Vector128<float>.Zero), x * scale, VectorMath.Expm1(x) * (scale * alpha));

    public Vector256<float> Invoke(Vector256<float> x)
        => Vector256.ConditionalSelect(Vector256.GreaterThan(x, Vector256<float>.Zero), x * scale, VectorMath.Expm1(x) * (scale * alpha));

    public Vector512<float> Invoke(Vector512<float> x)
        => Vector512.ConditionalSelect(Vector512.GreaterThan(x, Vector512<float>.Zero), x * scale, VectorMath.Expm1(x) * (scale * alpha));
}
