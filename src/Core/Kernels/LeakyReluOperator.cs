using System.Runtime.Intrinsics;

namespace MLNetExt.Core.Kernels;

/// <summary>Leaky ReLU: effectively computes <c>destination[i] = x[i] &gt; 0 ? x[i] : slope · x[i]</c> (slope 0 is not needed: ReLU is <c>TensorPrimitives.Max(x, 0)</c>).</summary>
internal readonly struct LeakyReluOperator(float slope) : IUnaryOperator
{
    public float Invoke(float x) => x > 0f ? x : slope * x;

    public Vector128<float> Invoke(Vector128<float> x)
        => Vector128.ConditionalSelect(Vector128.GreaterThan(x, Vector128<float>.Zero), x, x * slope);

    public Vector256<float> Invoke(Vector256<float> x)
        => Vector256.ConditionalSelect(Vector256.GreaterThan(x, Vector256<float>.Zero), x, x * slope);

    public Vector512<float> Invoke(Vector512<float> x)
        => Vector512.ConditionalSelect(Vector512.GreaterThan(x, Vector512<float>.Zero), x, x * slope);
}
