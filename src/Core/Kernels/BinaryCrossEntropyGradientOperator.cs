using System.Runtime.Intrinsics;

namespace MLNetExt.Core.Kernels;

/// <summary>
/// Binary cross-entropy's derivative as PyTorch computes it: operands (p, target); effectively computes
/// <c>destination[i] = (p − t) / max(p(1 − p), 1e−12)</c>.
/// </summary>
internal readonly struct BinaryCrossEntropyGradientOperator : IBinaryOperator
{
    private const float Epsilon = 1e-12f;

    public float Invoke(float p, float target) => (p - target) / MathF.Max((1f - p) * p, Epsilon);

    public Vector128<float> Invoke(Vector128<float> p, Vector128<float> target)
        => (p - target) / Vector128.Max((Vector128<float>.One - p) * p, Vector128.Create(Epsilon));

    public Vector256<float> Invoke(Vector256<float> p, Vector256<float> target)
        => (p - target) / Vector256.Max((Vector256<float>.One - p) * p, Vector256.Create(Epsilon));

    public Vector512<float> Invoke(Vector512<float> p, Vector512<float> target)
        => (p - target) / Vector512.Max((Vector512<float>.One - p) * p, Vector512.Create(Epsilon));
}
