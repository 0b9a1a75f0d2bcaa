using System.Runtime.Intrinsics;

namespace MLNetExt.Core.Kernels;

/// <summary>Exact GELU's backward: operands (x, dY); effectively computes <c>dX[i] += dY[i] · (Φ(x[i]) + x[i] · φ(x[i]))</c>.</summary>
internal readonly struct GeluGradientOperator : IBinaryOperator
{
    public float Invoke(float x, float dy) => dy * (VectorMath.NormalCdf(x) + x * VectorMath.NormalPdf(x));

    public Vector128<float> Invoke(Vector128<float> x, Vector128<float> dy) => dy * (VectorMath.NormalCdf(x) + x * VectorMath.NormalPdf(x));

    public Vector256<float> Invoke(Vector256<float> x, Vector256<float> dy) => dy * (VectorMath.NormalCdf(x) + x * VectorMath.NormalPdf(x));

    public Vector512<float> Invoke(Vector512<float> x, Vector512<float> dy) => dy * (VectorMath.NormalCdf(x) + x * VectorMath.NormalPdf(x));
}
