using System.Runtime.Intrinsics;

namespace MLNetExt.Core.Kernels;

/// <summary>
/// An element-wise function f(x) in scalar and vector form, driven by <see cref="ElementwiseLoop"/>. Implementations are
/// readonly structs (their fields are the function's parameters) so the loop is specialized and inlined per operator.
/// </summary>
internal interface IUnaryOperator
{
    /// <summary>f(x) for one element.</summary>
    float Invoke(float x);

    /// <summary>f applied to each lane.</summary>
    Vector128<float> Invoke(Vector128<float> x);

    /// <summary>f applied to each lane.</summary>
    Vector256<float> Invoke(Vector256<float> x);

    /// <summary>f applied to each lane.</summary>
    Vector512<float> Invoke(Vector512<float> x);
}
