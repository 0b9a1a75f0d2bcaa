using System.Runtime.Intrinsics;

namespace MLNetExt.Core.Kernels;

/// <summary>
/// PReLU's slope gradient term: operands (x, dY); summed over a channel, effectively computes
/// <c>dα += Σᵢ x[i] &gt; 0 ? 0 : x[i] · dY[i]</c>.
/// </summary>
internal readonly struct PreluWeightGradientOperator : IBinaryOperator
{
    public float Invoke(float x, float dy) => x > 0f ? 0f : x * dy;

    public Vector128<float> Invoke(Vector128<float> x, Vector128<float> dy)
        => Vector128.ConditionalSelect(Vector128.GreaterThan(x, Vector128<float>.Zero), Vector128<float>.Zero, x * dy);

    public Vector256<float> Invoke(Vector256<float> x, Vector256<float> dy)
        => Vector256.ConditionalSelect(Vector256.GreaterThan(x, Vector256<float>.Zero), Vector256<float>.Zero, x * dy);

    public Vector512<float> Invoke(Vector512<float> x, Vector512<float> dy)
        => Vector512.ConditionalSelect(Vector512.GreaterThan(x, Vector512<float>.Zero), Vector512<float>.Zero, x * dy);
}
