using System.Runtime.Intrinsics;

namespace MLNetExt.Core.Kernels;

/// <summary>
/// ELU's backward: operands (x, dY); effectively computes
/// <c>dX[i] += dY[i] · (x[i] &gt; 0 ? scale : scale · alpha · e^x[i])</c>.
/// </summary>
internal readonly struct EluGradientOperator(float alpha, float scale) : IBinaryOperator
{
    public float Invoke(float x, float dy) => dy * (x > 0f ? scale : scale * alpha * MathF.Exp(x));

    public Vector128<float> Invoke(Vector128<float> x, Vector128<float> dy)
        => dy * Vector128.ConditionalSelect(Vector128.GreaterThan(x, Vector128<float>.Zero), Vector128.Create(scale), Vector128.Exp(x) * (scale * alpha));

    public Vector256<float> Invoke(Vector256<float> x, Vector256<float> dy)
        => dy * Vector256.ConditionalSelect(Vector256.GreaterThan(x, Vector256<float>.Zero), Vector256.Create(scale), Vector256.Exp(x) * (scale * alpha));

    public Vector512<float> Invoke(Vector512<float> x, Vector512<float> dy)
        => dy * Vector512.ConditionalSelect(Vector512.GreaterThan(x, Vector512<float>.Zero), Vector512.Create(scale), Vector512.Exp(x) * (scale * alpha));
}
