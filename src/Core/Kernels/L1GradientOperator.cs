using System.Runtime.Intrinsics;

namespace MLNetExt.Core.Kernels;

/// <summary>L1 loss's derivative: operands (x, target); effectively computes <c>destination[i] = sign(x[i] − target[i])</c>, 0 where they are equal.</summary>
internal readonly struct L1GradientOperator : IBinaryOperator
{
    public float Invoke(float x, float target) => x > target ? 1f : x < target ? -1f : 0f;

    public Vector128<float> Invoke(Vector128<float> x, Vector128<float> target)
        => (Vector128.GreaterThan(x, target) & Vector128<float>.One) - (Vector128.LessThan(x, target) & Vector128<float>.One);

    public Vector256<float> Invoke(Vector256<float> x, Vector256<float> target)
        => (Vector256.GreaterThan(x, target) & Vector256<float>.One) - (Vector256.LessThan(x, target) & Vector256<float>.One);

    public Vector512<float> Invoke(Vector512<float> x, Vector512<float> target)
        => (Vector512.GreaterThan(x, target) & Vector512<float>.One) - (Vector512.LessThan(x, target) & Vector512<float>.One);
}
