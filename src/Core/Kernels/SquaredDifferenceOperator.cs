using System.Runtime.Intrinsics;

namespace MLNetExt.Core.Kernels;

/// <summary>
/// The squared error: effectively computes <c>destination[i] = (x[i] − y[i])·(x[i] − y[i])</c>, rounded after the
/// subtraction and after the product, bitwise what <c>TensorPrimitives.Subtract</c> then <c>Multiply</c> give.
/// </summary>
internal readonly struct SquaredDifferenceOperator : IBinaryOperator
{
    public float Invoke(float x, float y)
    {
        float d = x - y;
        return d * d;
    }

    public Vector128<float> Invoke(Vector128<float> x, Vector128<float> y)
    {
        var d = x - y;
        return d * d;
    }

    public Vector256<float> Invoke(Vector256<float> x, Vector256<float> y)
    {
        var d = x - y;
        return d * d;
    }

    public Vector512<float> Invoke(Vector512<float> x, Vector512<float> y)
    {
        var d = x - y;
        return d * d;
    }
}
