using System.Runtime.Intrinsics;

namespace MLNetExt.Core.Kernels;

/// <summary>Sigmoid's backward from its output: operands (y, dY); effectively computes <c>dX[i] += dY[i] · y[i] · (1 − y[i])</c>.</summary>
internal readonly struct SigmoidGradientOperator : IBinaryOperator
{
    public float Invoke(float y, float dy) => dy * y * (1f - y);

    public Vector128<float> Invoke(Vector128<float> y, Vector128<float> dy) => dy * y * (Vector128<float>.One - y);

    public Vector256<float> Invoke(Vector256<float> y, Vector256<float> dy) => dy * y * (Vector256<float>.One - y);

    public Vector512<float> Invoke(Vector512<float> y, Vector512<float> dy) => dy * y * (Vector512<float>.One - y);
}
