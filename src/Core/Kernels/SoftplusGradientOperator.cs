using System.Runtime.Intrinsics;

namespace MLNetExt.Core.Kernels;

/// <summary>
/// Softplus's backward: operands (x, dY); effectively computes
/// <c>dX[i] += β·x[i] &gt; threshold ? dY[i] : dY[i] · σ(β·x[i])</c>.
/// </summary>
internal readonly struct SoftplusGradientOperator(float beta, float threshold) : IBinaryOperator
{
    public float Invoke(float x, float dy)
    {
        float z = beta * x;
        return z > threshold ? dy : dy * VectorMath.Sigmoid(z);
    }

    public Vector128<float> Invoke(Vector128<float> x, Vector128<float> dy)
    {
        var z = x * beta;
        return Vector128.ConditionalSelect(Vector128.GreaterThan(z, Vector128.Create(threshold)), dy, dy * VectorMath.Sigmoid(z));
    }

    public Vector256<float> Invoke(Vector256<float> x, Vector256<float> dy)
    {
        var z = x * beta;
        return Vector256.ConditionalSelect(Vector256.GreaterThan(z, Vector256.Create(threshold)), dy, dy * VectorMath.Sigmoid(z));
    }

    public Vector512<float> Invoke(Vector512<float> x, Vector512<float> dy)
    {
        var z = x * beta;
        return Vector512.ConditionalSelect(Vector512.GreaterThan(z, Vector512.Create(threshold)), dy, dy * VectorMath.Sigmoid(z));
    }
}
