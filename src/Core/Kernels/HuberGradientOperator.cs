using System.Runtime.Intrinsics;

namespace MLNetExt.Core.Kernels;

/// <summary>Huber loss's derivative: operands (x, target), e = x − target; effectively computes <c>destination[i] = clamp(e, −δ, δ)</c>.</summary>
internal readonly struct HuberGradientOperator(float delta) : IBinaryOperator
{
    public float Invoke(float x, float target) => Math.Clamp(x - target, -delta, delta);

    public Vector128<float> Invoke(Vector128<float> x, Vector128<float> target)
        => Vector128.Min(Vector128.Max(x - target, Vector128.Create(-delta)), Vector128.Create(delta));

    public Vector256<float> Invoke(Vector256<float> x, Vector256<float> target)
        => Vector256.Min(Vector256.Max(x - target, Vector256.Create(-delta)), Vector256.Create(delta));

    public Vector512<float> Invoke(Vector512<float> x, Vector512<float> target)
        => Vector512.Min(Vector512.Max(x - target, Vector512.Create(-delta)), Vector512.Create(delta));
}
