using System.Runtime.Intrinsics;

namespace MLNetExt.Core.Kernels;

/// <summary>
/// Binary cross-entropy on probabilities: operands (p, target); with PyTorch's clamp of each log at −100, effectively
/// computes <c>destination[i] = −(t · max(log p, −100) + (1 − t) · max(log(1 − p), −100))</c>.
/// </summary>
internal readonly struct BinaryCrossEntropyOperator : IBinaryOperator
{
    private const float LogFloor = -100f;

    public float Invoke(float p, float target)
        => -(target * MathF.Max(MathF.Log(p), LogFloor) + (1f - target) * MathF.Max(MathF.Log(1f - p), LogFloor));

    public Vector128<float> Invoke(Vector128<float> p, Vector128<float> target)
    {
        var floor = Vector128.Create(LogFloor);
        var logP = Vector128.Max(Vector128.Log(p), floor);
        var logQ = Vector128.Max(Vector128.Log(Vector128<float>.One - p), floor);
        return -(target * logP + (Vector128<float>.One - target) * logQ);
    }

    public Vector256<float> Invoke(Vector256<float> p, Vector256<float> target)
    {
        var floor = Vector256.Create(LogFloor);
        var logP = Vector256.Max(Vector256.Log(p), floor);
        var logQ = Vector256.Max(Vector256.Log(Vector256<float>.One - p), floor);
        return -(target * logP + (Vector256<float>.One - target) * logQ);
    }

    public Vector512<float> Invoke(Vector512<float> p, Vector512<float> target)
    {
        var floor = Vector512.Create(LogFloor);
        var logP = Vector512.Max(Vector512.Log(p), floor);
        var logQ = Vector512.Max(Vector512.Log(Vector512<float>.One - p), floor);
        return -(target * logP + (Vector512<float>.One - target) * logQ);
    }
}
