using System.Runtime.Intrinsics;

namespace MLNetExt.Core.Kernels;

/// <summary>
/// Log-softmax's backward over one row: operands (y = log-softmax output, dY), with <c>rowSum</c> = Σⱼ dY[j];
/// effectively computes <c>dX[i] += dY[i] − e^y[i] · rowSum</c>.
/// </summary>
internal readonly struct LogSoftmaxGradientOperator(float rowSum) : IBinaryOperator
{
    public float Invoke(float y, float dy) => dy - MathF.Exp(y) * rowSum;

    public Vector128<float> Invoke(Vector128<float> y, Vector128<float> dy) => dy - Vector128.Exp(y) * rowSum;

    public Vector256<float> Invoke(Vector256<float> y, Vector256<float> dy) => dy - Vector256.Exp(y) * rowSum;

    public Vector512<float> Invoke(Vector512<float> y, Vector512<float> dy) => dy - Vector512.Exp(y) * rowSum;
}
