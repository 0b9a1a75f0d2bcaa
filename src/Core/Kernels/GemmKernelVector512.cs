using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace MLNetExt.Core.Kernels;

/// <summary>The 8×32 SGEMM micro-kernel on <see cref="Vector512{T}"/> FMA (AVX-512): 16 accumulators in zmm registers.</summary>
internal static unsafe class GemmKernelVector512
{
    /// <summary>Rows of the register tile.</summary>
    public const int MR = 8;
    /// <summary>Columns of the register tile (2 vectors of 16).</summary>
    public const int NR = 32;

    // Shapes: packedA [kc, MR] (MR values per k), packedB [kc, NR] (NR values per k), c [MR, NR] with row
    // stride ldc.  c = alpha·(packedA·packedB) + beta·c, and c = alpha·(packedA·packedB) when beta = 0 so that
    // whatever C held (NaN included) is overwritten. Products accumulate in k order in registers with FMA; the
    // final update is an unfused multiply and add, matching GemmKernels.MergeEdgeTile bit for bit.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Forward(int kc, float* packedA, float* packedB, float* c, int ldc, float alpha, float beta)
    {
        Vector512<float> c00 = default; Vector512<float> c01 = default;
        Vector512<float> c10 = default; Vector512<float> c11 = default;
        Vector512<float> c20 = default; Vector512<float> c21 = default;
        Vector512<float> c30 = default; Vector512<float> c31 = default;
        Vector512<float> c40 = default; Vector512<float> c41 = default;
        Vector512<float> c50 = default; Vector512<float> c51 = default;
        Vector512<float> c60 = default; Vector512<float> c61 = default;
        Vector512<float> c70 = default; Vector512<float> c71 = default;
        for (int p = 0; p < kc; p++)
        {
            var b0 = Vector512.Load(packedB + 0);
            var b1 = Vector512.Load(packedB + 16);
            Vector512<float> a;
            a = Vector512.Create(packedA[0]);
            c00 = Vector512.FusedMultiplyAdd(a, b0, c00); c01 = Vector512.FusedMultiplyAdd(a, b1, c01);
            a = Vector512.Create(packedA[1]);
            c10 = Vector512.FusedMultiplyAdd(a, b0, c10); c11 = Vector512.FusedMultiplyAdd(a, b1, c11);
            a = Vector512.Create(packedA[2]);
            c20 = Vector512.FusedMultiplyAdd(a, b0, c20); c21 = Vector512.FusedMultiplyAdd(a, b1, c21);
            a = Vector512.Create(packedA[3]);
            c30 = Vector512.FusedMultiplyAdd(a, b0, c30); c31 = Vector512.FusedMultiplyAdd(a, b1, c31);
            a = Vector512.Create(packedA[4]);
            c40 = Vector512.FusedMultiplyAdd(a, b0, c40); c41 = Vector512.FusedMultiplyAdd(a, b1, c41);
            a = Vector512.Create(packedA[5]);
            c50 = Vector512.FusedMultiplyAdd(a, b0, c50); c51 = Vector512.FusedMultiplyAdd(a, b1, c51);
            a = Vector512.Create(packedA[6]);
            c60 = Vector512.FusedMultiplyAdd(a, b0, c60); c61 = Vector512.FusedMultiplyAdd(a, b1, c61);
            a = Vector512.Create(packedA[7]);
            c70 = Vector512.FusedMultiplyAdd(a, b0, c70); c71 = Vector512.FusedMultiplyAdd(a, b1, c71);
            packedA += MR;
            packedB += NR;
        }
        var alphaV = Vector512.Create(alpha);
        if (beta == 0f)
        {
            Vector512.Store(alphaV * c00, c + 0 * ldc + 0); Vector512.Store(alphaV * c01, c + 0 * ldc + 16);
            Vector512.Store(alphaV * c10, c + 1 * ldc + 0); Vector512.Store(alphaV * c11, c + 1 * ldc + 16);
            Vector512.Store(alphaV * c20, c + 2 * ldc + 0); Vector512.Store(alphaV * c21, c + 2 * ldc + 16);
            Vector512.Store(alphaV * c30, c + 3 * ldc + 0); Vector512.Store(alphaV * c31, c + 3 * ldc + 16);
            Vector512.Store(alphaV * c40, c + 4 * ldc + 0); Vector512.Store(alphaV * c41, c + 4 * ldc + 16);
            Vector512.Store(alphaV * c50, c + 5 * ldc + 0); Vector512.Store(alphaV * c51, c + 5 * ldc + 16);
            Vector512.Store(alphaV * c60, c + 6 * ldc + 0); Vector512.Store(alphaV * c61, c + 6 * ldc + 16);
            Vector512.Store(alphaV * c70, c + 7 * ldc + 0); Vector512.Store(alphaV * c71, c + 7 * ldc + 16);
        }
        else
        {
            var betaV = Vector512.Create(beta);
            Vector512.Store(alphaV * c00 + betaV * Vector512.Load(c + 0 * ldc + 0), c + 0 * ldc + 0);
            Vector512.Store(alphaV * c01 + betaV * Vector512.Load(c + 0 * ldc + 16), c + 0 * ldc + 16);
            Vector512.Store(alphaV * c10 + betaV * Vector512.Load(c + 1 * ldc + 0), c + 1 * ldc + 0);
            Vector512.Store(alphaV * c11 + betaV * Vector512.Load(c + 1 * ldc + 16), c + 1 * ldc + 16);
            Vector512.Store(alphaV * c20 + betaV * Vector512.Load(c + 2 * ldc + 0), c + 2 * ldc + 0);
            Vector512.Store(alphaV * c21 + betaV * Vector512.Load(c + 2 * ldc + 16), c + 2 * ldc + 16);
            Vector512.Store(alphaV * c30 + betaV * Vector512.Load(c + 3 * ldc + 0), c + 3 * ldc + 0);
            Vector512.Store(alphaV * c31 + betaV * Vector512.Load(c + 3 * ldc + 16), c + 3 * ldc + 16);
            Vector512.Store(alphaV * c40 + betaV * Vector512.Load(c + 4 * ldc + 0), c + 4 * ldc + 0);
            Vector512.Store(alphaV * c41 + betaV * Vector512.Load(c + 4 * ldc + 16), c + 4 * ldc + 16);
            Vector512.Store(alphaV * c50 + betaV * Vector512.Load(c + 5 * ldc + 0), c + 5 * ldc + 0);
            Vector512.Store(alphaV * c51 + betaV * Vector512.Load(c + 5 * ldc + 16), c + 5 * ldc + 16);
            Vector512.Store(alphaV * c60 + betaV * Vector512.Load(c + 6 * ldc + 0), c + 6 * ldc + 0);
            Vector512.Store(alphaV * c61 + betaV * Vector512.Load(c + 6 * ldc + 16), c + 6 * ldc + 16);
            Vector512.Store(alphaV * c70 + betaV * Vector512.Load(c + 7 * ldc + 0), c + 7 * ldc + 0);
            Vector512.Store(alphaV * c71 + betaV * Vector512.Load(c + 7 * ldc + 16), c + 7 * ldc + 16);
        }
    }

    /// <summary>Columns the half-width edge kernel computes (one vector).</summary>
    public const int HalfNR = 16;

    // The left half of a tile, for edge panels of at most 16 columns: sums [MR, 16] with row stride NR written to
    // edgeTile (no alpha or beta; the caller merges them into C). B is read from its NR-wide panel, and every sum is
    // accumulated exactly as Forward accumulates it, so the edge comes out bitwise the same at half the cost.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void ForwardLeftHalf(int kc, float* packedA, float* packedB, float* edgeTile)
    {
        Vector512<float> c0 = default, c1 = default, c2 = default, c3 = default;
        Vector512<float> c4 = default, c5 = default, c6 = default, c7 = default;
        for (int p = 0; p < kc; p++)
        {
            var b = Vector512.Load(packedB);
            c0 = Vector512.FusedMultiplyAdd(Vector512.Create(packedA[0]), b, c0);
            c1 = Vector512.FusedMultiplyAdd(Vector512.Create(packedA[1]), b, c1);
            c2 = Vector512.FusedMultiplyAdd(Vector512.Create(packedA[2]), b, c2);
            c3 = Vector512.FusedMultiplyAdd(Vector512.Create(packedA[3]), b, c3);
            c4 = Vector512.FusedMultiplyAdd(Vector512.Create(packedA[4]), b, c4);
            c5 = Vector512.FusedMultiplyAdd(Vector512.Create(packedA[5]), b, c5);
            c6 = Vector512.FusedMultiplyAdd(Vector512.Create(packedA[6]), b, c6);
            c7 = Vector512.FusedMultiplyAdd(Vector512.Create(packedA[7]), b, c7);
            packedA += MR;
            packedB += NR;
        }
        Vector512.Store(c0, edgeTile + 0 * NR); Vector512.Store(c1, edgeTile + 1 * NR);
        Vector512.Store(c2, edgeTile + 2 * NR); Vector512.Store(c3, edgeTile + 3 * NR);
        Vector512.Store(c4, edgeTile + 4 * NR); Vector512.Store(c5, edgeTile + 5 * NR);
        Vector512.Store(c6, edgeTile + 6 * NR); Vector512.Store(c7, edgeTile + 7 * NR);
    }
}
