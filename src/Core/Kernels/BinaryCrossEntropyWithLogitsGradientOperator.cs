using System.Runtime.Intrinsics;

namespace MLNetExt.Core.Kernels;

/// <summary>
/// The derivative of <see cref="BinaryCrossEntropyWithLogitsOperator"/> in x: operands (x, target, posWeight);
/// effectively computes <c>destination[i] = (w·t + 1 − t)·σ(x) − w·t</c> (σ(x) − t when w = 1).
/// </summary>
internal readonly struct BinaryCrossEntropyWithLogitsGradientOperator : ITernaryOperator
{
    public float Invoke(float x, float target, float posWeight)
    {
        float weightedTarget = posWeight * target;
        return (weightedTarget + 1f - target) * VectorMath.Sigmoid(x) - weightedTarget;
    }

    public Vector128<float> Invoke(Vector128<float> x, Vector128<float> target, Vector128<float> posWeight)
    {
        var weightedTarget = posWeight * target;
        return (weightedTarget + Vector128<float>.One - target) * VectorMath.Sigmoid(x) - weightedTarget;
    }

    public Vector256<float> Invoke(Vector256<float> x, Vector256<float> target, Vector256<float> posWeight)
    {
        var weightedTarget = posWeight * target;
        return (weightedTarget + Vector256<float>.One - target) * VectorMath.Sigmoid(x) - weightedTarget;
    }

    public Vector512<float> Invoke(Vector512<float> x, Vector512<float> target, Vector512<float> posWeight)
    {
        var weightedTarget = posWeight * target;
        return (weightedTarget + Vector512<float>.One - target) * VectorMath.Sigmoid(x) - weightedTarget;
    }
}
