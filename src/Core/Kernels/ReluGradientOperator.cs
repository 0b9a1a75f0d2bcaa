using System.Runtime.Intrinsics;

namespace MLNetExt.Core.Kernels;

/// <summary>
/// ReLU's backward: operands (x, dY); effectively computes <c>dX[i] += x[i] &gt; 0 ? dY[i] : 0</c>. A select, not a
/// product, so an infinite dY where x ≤ 0 gives 0 as in PyTorch rather than NaN.
/// </summary>
internal readonly struct ReluGradientOperator : IBinaryOperator
{
    public float Invoke(float x, float dy) => x > 0f ? dy : 0f;

    public Vector128<float> Invoke(Vector128<float> x, Vector128<float> dy) => Vector128.GreaterThan(x, Vector128<float>.Zero) & dy;

    public Vector256<float> Invoke(Vector256<float> x, Vector256<float> dy) => Vector256.GreaterThan(x, Vector256<float>.Zero) & dy;

    public Vector512<float> Invoke(Vector512<float> x, Vector512<float> dy) => Vector512.GreaterThan(x, Vector512<float>.Zero) & dy;
}
