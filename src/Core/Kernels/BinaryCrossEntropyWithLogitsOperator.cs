using System.Runtime.Intrinsics;

namespace MLNetExt.Core.Kernels;

/// <summary>
/// Binary cross-entropy on logits with a positive-class weight: operands (x, target, posWeight); effectively computes
/// <c>destination[i] = (1 − t)·x + (1 + (w − 1)·t) · log(1 + e⁻ˣ)</c>, the log term in its overflow-free form
/// (the value of −[w·t·log σ(x) + (1 − t)·log(1 − σ(x))]).
/// </summary>
internal readonly struct BinaryCrossEntropyWithLogitsOperator : ITernaryOperator
{
    public float Invoke(float x, float target, float posWeight)
        => (1f - target) * x + (1f + (posWeight - 1f) * target) * VectorMath.Softplus(-x);

    public Vector128<float> Invoke(Vector128<float> x, Vector128<float> target, Vector128<float> posWeight)
        => (Vector128<float>.One - target) * x + (Vector128<float>.One + (posWeight - Vector128<float>.One) * target) * VectorMath.Softplus(-x);

    public Vector256<float> Invoke(Vector256<float> x, Vector256<float> target, Vector256<float> posWeight)
        => (Vector256<float>.One - target) * x + (Vector256<float>.One + (posWeight - Vector256<float>.One) * target) * VectorMath.Softplus(-x);

    public Vector512<float> Invoke(Vector512<float> x, Vector512<float> target, Vector512<float> posWeight)
        => (Vector512<float>.One - target) * x + (Vector512<float>.One + (posWeight - Vector512<float>.One) * target) * VectorMath.Softplus(-x);
}
