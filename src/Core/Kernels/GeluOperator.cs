using System.Runtime.Intrinsics;

namespace MLNetExt.Core.Kernels;

/// <summary>Exact GELU: effectively computes <c>destination[i] = x[i] · Φ(x[i])</c>, Φ the standard normal CDF (= ½x(1 + erf(x/√2))).</summary>
internal readonly struct GeluOperator : IUnaryOperator
{
    public float Invoke(float x) => x * VectorMath.NormalCdf(x);

    public Vector128<float> Invoke(Vector128<float> x) => x * VectorMath.NormalCdf(x);

    public Vector256<float> Invoke(Vector256<float> x) => x * VectorMath.NormalCdf(x);

    public Vector512<float> Invoke(Vector512<float> x) => x * VectorMath.NormalCdf(x);
}
