using System.Runtime.Intrinsics;

namespace MLNetExt.Core.Kernels;

/// <summary>
/// Softplus with PyTorch's linear cut-off: effectively computes
/// <c>destination[i] = β·x[i] &gt; threshold ? x[i] : log(1 + e^(β·x[i])) / β</c>, the log term in its overflow-free form.
/// </summary>
internal readonly struct SoftplusOperator(float beta, float threshold) : IUnaryOperator
{
    public float Invoke(float x)
    {
        float z = beta * x;
        return z > threshold ? x : VectorMath.Softplus(z) / beta;
    }

    public Vector128<float> Invoke(Vector128<float> x)
    {
        var z = x * beta;
        return Vector128.ConditionalSelect(Vector128.GreaterThan(z, Vector128.Create(threshold)), x, VectorMath.Softplus(z) / beta);
    }

    public Vector256<float> Invoke(Vector256<float> x)
    {
        var z = x * beta;
        return Vector256.ConditionalSelect(Vector256.GreaterThan(z, Vector256.Create(threshold)), x, VectorMath.Softplus(z) / beta);
    }

    public Vector512<float> Invoke(Vector512<float> x)
    {
        var z = x * beta;
        return Vector512.ConditionalSelect(Vector512.GreaterThan(z, Vector512.Create(threshold)), x, VectorMath.Softplus(z) / beta);
    }
}
