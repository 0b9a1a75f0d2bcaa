using System.Runtime.Intrinsics;

namespace MLNetExt.Core.Kernels;

/// <summary>
/// The tanh-approximate GELU's backward: operands (x, dY); with s = σ(2u), u = √(2/π)(x + 0.044715x³), effectively
/// computes <c>dX[i] += dY[i] · (s + 2x·s(1 − s)·√(2/π)(1 + 3·0.044715x²))</c>.
/// </summary>
internal readonly struct GeluTanhGradientOperator : IBinaryOperator
{
    private const float Beta = GeluTanhOperator.Beta;
    private const float Kappa = GeluTanhOperator.Kappa;

    public float Invoke(float x, float dy)
    {
        float x2 = x * x;
        float s = VectorMath.Sigmoid(2f * Beta * (x + Kappa * x2 * x));
        return dy * (s + 2f * x * s * (1f - s) * Beta * (1f + 3f * Kappa * x2));
    }

    public Vector128<float> Invoke(Vector128<float> x, Vector128<float> dy)
    {
        var x2 = x * x;
        var s = VectorMath.Sigmoid((x + x2 * x * Kappa) * (2f * Beta));
        var innerDerivative = (Vector128<float>.One + x2 * (3f * Kappa)) * Beta;
        return dy * (s + x * s * (Vector128<float>.One - s) * innerDerivative * 2f);
    }

    public Vector256<float> Invoke(Vector256<float> x, Vector256<float> dy)
    {
        var x2 = x * x;
        var s = VectorMath.Sigmoid((x + x2 * x * Kappa) * (2f * Beta));
        var innerDerivative = (Vector256<float>.One + x2 * (3f * Kappa)) * Beta;
        return dy * (s + x * s * (Vector256<float>.One - s) * innerDerivative * 2f);
    }

    public Vector512<float> Invoke(Vector512<float> x, Vector512<float> dy)
    {
        var x2 = x * x;
        var s = VectorMath.Sigmoid((x + x2 * x * Kappa) * (2f * Beta));
        var innerDerivative = (Vector512<float>.One + x2 * (3f * Kappa)) * Beta;
        return dy * (s + x * s * (Vector512<float>.One - s) * innerDerivative * 2f);
    }
}
