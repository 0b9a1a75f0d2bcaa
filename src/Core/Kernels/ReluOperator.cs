using System.Runtime.Intrinsics;

namespace MLNetExt.Core.Kernels;

/// <summary>
/// ReLU: effectively computes <c>destination[i] = max(x[i], 0)</c> with IEEE 754:2019 maximum semantics, bitwise what
/// <c>TensorPrimitives.Max(x, 0)</c> gives (a NaN comes through as itself, −0 becomes +0). Driven by
/// <see cref="ElementwiseLoop"/>, whose loops are compiled optimized up front, where TensorPrimitives' generic loops
/// start at tier 0 and run several times slower for the first epochs of a training run.
/// </summary>
internal readonly struct ReluOperator : IUnaryOperator
{
    public float Invoke(float x) => MathF.Max(x, 0f);

    public Vector128<float> Invoke(Vector128<float> x) => Vector128.Max(x, Vector128<float>.Zero);

    public Vector256<float> Invoke(Vector256<float> x) => Vector256.Max(x, Vector256<float>.Zero);

    public Vector512<float> Invoke(Vector512<float> x) => Vector512.Max(x, Vector512<float>.Zero);
}
