using System.Runtime.Intrinsics;

namespace MLNetExt.Core.Kernels;

/// <summary>
/// Effectively computes <c>destination[i] = (x[i] − y[i])·scale</c>, rounded after the subtraction and after the
/// product (the squared error's derivative with scale 2), bitwise what <c>TensorPrimitives.Subtract</c> then
/// <c>Multiply</c> give.
/// </summary>
internal readonly struct ScaledDifferenceOperator(float scale) : IBinaryOperator
{
    public float Invoke(float x, float y) => (x - y) * scale;

    public Vector128<float> Invoke(Vector128<float> x, Vector128<float> y) => (x - y) * scale;

    public Vector256<float> Invoke(Vector256<float> x, Vector256<float> y) => (x - y) * scale;

    public Vector512<float> Invoke(Vector512<float> x, Vector512<float> y) => (x - y) * scale;
}
