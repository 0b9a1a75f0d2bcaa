using System.Runtime.Intrinsics;

namespace MLNetExt.Core.Kernels;

/// <summary>Tanh's backward from its output: operands (y, dY); effectively computes <c>dX[i] += dY[i] · (1 − y[i]²)</c>.</summary>
internal readonly struct TanhGradientOperator : IBinaryOperator
{
    public float Invoke(float y, float dy) => dy * (1f - y * y);

    public Vector128<float> Invoke(Vector128<float> y, Vector128<float> dy) => dy * (Vector128<float>.One - y * y);

    public Vector256<float> Invoke(Vector256<float> y, Vector256<float> dy) => dy * (Vector256<float>.One - y * y);

    public Vector512<float> Invoke(Vector512<float> y, Vector512<float> dy) => dy * (Vector512<float>.One - y * y);
}
