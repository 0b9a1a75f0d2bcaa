using System.Runtime.Intrinsics;

namespace MLNetExt.Core.Kernels;

/// <summary>
/// GELU's tanh approximation (PyTorch's <c>approximate='tanh'</c>): effectively computes
/// <c>destination[i] = ½x(1 + tanh(u))</c> with u = √(2/π)(x + 0.044715x³), evaluated as the identical
/// x · σ(2u) so neither tail cancels or overflows.
/// </summary>
internal readonly struct GeluTanhOperator : IUnaryOperator
{
    internal const float Beta = 0.7978845608028654f;
    internal const float Kappa = 0.044715f;

    public float Invoke(float x) => x * VectorMath.Sigmoid(2f * Beta * (x + Kappa * x * x * x));

    public Vector128<float> Invoke(Vector128<float> x) => x * VectorMath.Sigmoid((x + x * x * x * Kappa) * (2f * Beta));

    public Vector256<float> Invoke(Vector256<float> x) => x * VectorMath.Sigmoid((x + x * x * x * Kappa) * (2f * Beta));

    public Vector512<float> Invoke(Vector512<float> x) => x * VectorMath.Sigmoid((x + x * x * x * Kappa) * (2f * Beta));
}
