using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace MLNetExt.Core.Kernels;

/// <summary>The 6×16 SGEMM micro-kernel on <see cref="Vector256{T}"/> FMA (AVX2/FMA3): 12 accumulators, fitting the 16 ymm registers.</summary>
internal static unsafe class GemmKernelVector256
{
    /// <summary>Rows of the register tile.</summary>
    public const int MR = 6;
    /// <summary>Columns of the register tile (2 vectors of 8).</summary>
    public const int NR = 16;

    // Shapes: packedA [kc, MR] (MR values per k), packedB [kc, NR] (NR values per k), c [MR, NR] with row
    // stride ldc.  c = alpha·(packedA·packedB) + beta·c, and c = alpha·(packedA·packedB) when beta = 0 so that
    // whatever C held (NaN included) is overwritten. Products accumulate in k order in registers with FMA; the
    // final update is an unfused multiply and add, matching GemmKernels.MergeEdgeTile bit for bit.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Forward(int kc, float* packedA, float* packedB, float* c, int ldc, float alpha, float beta)
    {
        Vector256<float> c00 = default; Vector256<float> c01 = default;
        Vector256<float> c10 = default; Vector256<float> c11 = default;
        Vector256<float> c20 = default; Vector256<float> c21 = default;
        Vector256<float> c30 = default; Vector256<float> c31 = default;
        Vector256<float> c40 = default; Vector256<float> c41 = default;
        Vector256<float> c50 = default; Vector256<float> c51 = default;
        for (int p = 0; p < kc; p++)
        {
            var b0 = Vector256.Load(packedB + 0);
            var b1 = Vector256.Load(packedB + 8);
            Vector256<float> a;
            a = Vector256.Create(packedA[0]);
            c00 = Vector256.FusedMultiplyAdd(a, b0, c00); c01 = Vector256.FusedMultiplyAdd(a, b1, c01);
            a = Vector256.Create(packedA[1]);
            c10 = Vector256.FusedMultiplyAdd(a, b0, c10); c11 = Vector256.FusedMultiplyAdd(a, b1, c11);
            a = Vector256.Create(packedA[2]);
            c20 = Vector256.FusedMultiplyAdd(a, b0, c20); c21 = Vector256.FusedMultiplyAdd(a, b1, c21);
            a = Vector256.Create(packedA[3]);
            c30 = Vector256.FusedMultiplyAdd(a, b0, c30); c31 = Vector256.FusedMultiplyAdd(a, b1, c31);
            a = Vector256.Create(packedA[4]);
            c40 = Vector256.FusedMultiplyAdd(a, b0, c40); c41 = Vector256.FusedMultiplyAdd(a, b1, c41);
            a = Vector256.Create(packedA[5]);
            c50 = Vector256.FusedMultiplyAdd(a, b0, c50); c51 = Vector256.FusedMultiplyAdd(a, b1, c51);
            packedA += MR;
            packedB += NR;
        }
        var alphaV = Vector256.Create(alpha);
        if (beta == 0f)
        {
            Vector256.Store(alphaV * c00, c + 0 * ldc + 0); Vector256.Store(alphaV * c01, c + 0 * ldc + 8);
            Vector256.Store(alphaV * c10, c + 1 * ldc + 0); Vector256.Store(alphaV * c11, c + 1 * ldc + 8);
            Vector256.Store(alphaV * c20, c + 2 * ldc + 0); Vector256.Store(alphaV * c21, c + 2 * ldc + 8);
            Vector256.Store(alphaV * c30, c + 3 * ldc + 0); Vector256.Store(alphaV * c31, c + 3 * ldc + 8);
            Vector256.Store(alphaV * c40, c + 4 * ldc + 0); Vector256.Store(alphaV * c41, c + 4 * ldc + 8);
            Vector256.Store(alphaV * c50, c + 5 * ldc + 0); Vector256.Store(alphaV * c51, c + 5 * ldc + 8);
        }
        else
        {
            var betaV = Vector256.Create(beta);
            Vector256.Store(alphaV * c00 + betaV * Vector256.Load(c + 0 * ldc + 0), c + 0 * ldc + 0);
            Vector256.Store(alphaV * c01 + betaV * Vector256.Load(c + 0 * ldc + 8), c + 0 * ldc + 8);
            Vector256.Store(alphaV * c10 + betaV * Vector256.Load(c + 1 * ldc + 0), c + 1 * ldc + 0);
            Vector256.Store(alphaV * c11 + betaV * Vector256.Load(c + 1 * ldc + 8), c + 1 * ldc + 8);
            Vector256.Store(alphaV * c20 + betaV * Vector256.Load(c + 2 * ldc + 0), c + 2 * ldc + 0);
            Vector256.Store(alphaV * c21 + betaV * Vector256.Load(c + 2 * ldc + 8), c + 2 * ldc + 8);
            Vector256.Store(alphaV * c30 + betaV * Vector256.Load(c + 3 * ldc + 0), c + 3 * ldc + 0);
            Vector256.Store(alphaV * c31 + betaV * Vector256.Load(c + 3 * ldc + 8), c + 3 * ldc + 8);
            Vector256.Store(alphaV * c40 + betaV * Vector256.Load(c + 4 * ldc + 0), c + 4 * ldc + 0);
            Vector256.Store(alphaV * c41 + betaV * Vector256.Load(c + 4 * ldc + 8), c + 4 * ldc + 8);
            Vector256.Store(alphaV * c50 + betaV * Vector256.Load(c + 5 * ldc + 0), c + 5 * ldc + 0);
            Vector256.Store(alphaV * c51 + betaV * Vector256.Load(c + 5 * ldc + 8), c + 5 * ldc + 8);
        }
    }
}
