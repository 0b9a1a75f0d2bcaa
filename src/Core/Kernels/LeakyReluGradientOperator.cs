using System.Runtime.Intrinsics;

namespace MLNetExt.Core.Kernels;

/// <summary>Leaky ReLU's backward: operands (x, dY); effectively computes <c>dX[i] += x[i] &gt; 0 ? dY[i] : slope · dY[i]</c>.</summary>
internal readonly struct LeakyReluGradientOperator(float slope) : IBinaryOperator
{
    public float Invoke(float x, float dy) => x > 0f ? dy : slope * dy;

    public Vector128<float> Invoke(Vector128<float> x, Vector128<float> dy)
        => Vector128.ConditionalSelect(Vector128.GreaterThan(x, Vector128<float>.Zero), dy, dy * slope);

    public Vector256<float> Invoke(Vector256<float> x, Vector256<float> dy)
        => Vector256.ConditionalSelect(Vector256.GreaterThan(x, Vector256<float>.Zero), dy, dy * slope);

    public Vector512<float> Invoke(Vector512<float> x, Vector512<float> dy)
        => Vector512.ConditionalSelect(Vector512.GreaterThan(x, Vector512<float>.Zero), dy, dy * slope);
}
