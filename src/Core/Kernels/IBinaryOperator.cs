using System.Runtime.Intrinsics;

namespace MLNetExt.Core.Kernels;

/// <summary>An element-wise function f(x, y) of two operands in scalar and vector form, driven by <see cref="ElementwiseLoop"/>.</summary>
internal interface IBinaryOperator
{
    /// <summary>f(x, y) for one element pair.</summary>
    float Invoke(float x, float y);

    /// <summary>f applied lane by lane.</summary>
    Vector128<float> Invoke(Vector128<float> x, Vector128<float> y);

    /// <summary>f applied lane by lane.</summary>
    Vector256<float> Invoke(Vector256<float> x, Vector256<float> y);

    /// <summary>f applied lane by lane.</summary>
    Vector512<float> Invoke(Vector512<float> x, Vector512<float> y);
}
