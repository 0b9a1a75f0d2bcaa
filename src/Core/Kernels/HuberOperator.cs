using System.Runtime.Intrinsics;

namespace MLNetExt.Core.Kernels;

/// <summary>
/// Huber loss per element: operands (x, target), e = x − target; effectively computes
/// <c>destination[i] = |e| ≤ δ ? ½e² : δ(|e| − ½δ)</c>.
/// </summary>
internal readonly struct HuberOperator(float delta) : IBinaryOperator
{
    public float Invoke(float x, float target)
    {
        float e = MathF.Abs(x - target);
        return e <= delta ? 0.5f * e * e : delta * (e - 0.5f * delta);
    }

    public Vector128<float> Invoke(Vector128<float> x, Vector128<float> target)
    {
        var e = Vector128.Abs(x - target);
        return Vector128.ConditionalSelect(Vector128.LessThanOrEqual(e, Vector128.Create(delta)), e * e * 0.5f, (e - Vector128.Create(0.5f * delta)) * delta);
    }

    public Vector256<float> Invoke(Vector256<float> x, Vector256<float> target)
    {
        var e = Vector256.Abs(x - target);
        return Vector256.ConditionalSelect(Vector256.LessThanOrEqual(e, Vector256.Create(delta)), e * e * 0.5f, (e - Vector256.Create(0.5f * delta)) * delta);
    }

    public Vector512<float> Invoke(Vector512<float> x, Vector512<float> target)
    {
        var e = Vector512.Abs(x - target);
        return Vector512.ConditionalSelect(Vector512.LessThanOrEqual(e, Vector512.Create(delta)), e * e * 0.5f, (e - Vector512.Create(0.5f * delta)) * delta);
    }
}
