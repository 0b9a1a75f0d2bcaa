using System.Runtime.Intrinsics;

namespace MLNetExt.Core.Kernels;

/// <summary>An element-wise function f(x, y, z) of three operands in scalar and vector form, driven by <see cref="ElementwiseLoop"/>.</summary>
internal interface ITernaryOperator
{
    /// <summary>f(x, y, z) for one element triple.</summary>
    float Invoke(float x, float y, float z);

    /// <summary>f applied lane by lane.</summary>
    Vector128<float> Invoke(Vector128<float> x, Vector128<float> y, Vector128<float> z);

    /// <summary>f applied lane by lane.</summary>
    Vector256<float> Invoke(Vector256<float> x, Vector256<float> y, Vector256<float> z);

    /// <summary>f applied lane by lane.</summary>
    Vector512<float> Invoke(Vector512<float> x, Vector512<float> y, Vector512<float> z);
}
