namespace MLNetExt.Core.Kernels;

/// <summary>The SGEMM micro-kernel families, by the widest SIMD they need.</summary>
internal enum GemmKernelKind
{
    /// <summary>Scalar code, no SIMD requirement.</summary>
    Scalar,

    /// <summary><c>Vector128</c>: ARM64's AdvSimd, or x64 without AVX2.</summary>
    Vector128,

    /// <summary><c>Vector256</c> with FMA (AVX2 + FMA3).</summary>
    Vector256,

    /// <summary><c>Vector512</c> with FMA (AVX-512F).</summary>
    Vector512,
}
