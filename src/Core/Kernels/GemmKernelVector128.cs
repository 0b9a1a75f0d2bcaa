using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace MLNetExt.Core.Kernels;

/// <summary>
/// The 6×8 SGEMM micro-kernel on <see cref="Vector128{T}"/>: ARM64's AdvSimd (Apple silicon, Graviton) and x64 without
/// AVX2. 12 accumulators, two B vectors and a broadcast A fit the 16 registers of SSE (ARM64 has 32).
/// </summary>
/// <remarks>
/// Each product is accumulated with <see cref="Vector128.MultiplyAddEstimate(Vector128{float}, Vector128{float}, Vector128{float})"/>:
/// a fused multiply-add where the processor has one (every ARM64, x64 with FMA3), else a multiply then an add, so the
/// kernel never falls back to a software FMA. Either way every tile, full or at an edge, runs the same instructions.
/// </remarks>
internal static unsafe class GemmKernelVector128
{
    /// <summary>Rows of the register tile.</summary>
    public const int MR = 6;
    /// <summary>Columns of the register tile (2 vectors of 4).</summary>
    public const int NR = 8;

    // Shapes: packedA [kc, MR] (MR values per k), packedB [kc, NR] (NR values per k), c [MR, NR] with row
    // stride ldc.  c = alpha·(packedA·packedB) + beta·c, and c = alpha·(packedA·packedB) when beta = 0 so that
    // whatever C held (NaN included) is overwritten. The final update is an unfused multiply and add, as the
    // edge-tile merge (GemmKernels.Update) computes it.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Forward(int kc, float* packedA, float* packedB, float* c, int ldc, float alpha, float beta)
    {
        Vector128<float> c00 = default; Vector128<float> c01 = default;
        Vector128<float> c10 = default; Vector128<float> c11 = default;
        Vector128<float> c20 = default; Vector128<float> c21 = default;
        Vector128<float> c30 = default; Vector128<float> c31 = default;
        Vector128<float> c40 = default; Vector128<float> c41 = default;
        Vector128<float> c50 = default; Vector128<float> c51 = default;
        for (int p = 0; p < kc; p++)
        {
            var b0 = Vector128.Load(packedB + 0);
            var b1 = Vector128.Load(packedB + 4);
            Vector128<float> a;
            a = Vector128.Create(packedA[0]);
            c00 = Vector128.MultiplyAddEstimate(a, b0, c00); c01 = Vector128.MultiplyAddEstimate(a, b1, c01);
            a = Vector128.Create(packedA[1]);
            c10 = Vector128.MultiplyAddEstimate(a, b0, c10); c11 = Vector128.MultiplyAddEstimate(a, b1, c11);
            a = Vector128.Create(packedA[2]);
            c20 = Vector128.MultiplyAddEstimate(a, b0, c20); c21 = Vector128.MultiplyAddEstimate(a, b1, c21);
            a = Vector128.Create(packedA[3]);
            c30 = Vector128.MultiplyAddEstimate(a, b0, c30); c31 = Vector128.MultiplyAddEstimate(a, b1, c31);
            a = Vector128.Create(packedA[4]);
            c40 = Vector128.MultiplyAddEstimate(a, b0, c40); c41 = Vector128.MultiplyAddEstimate(a, b1, c41);
            a = Vector128.Create(packedA[5]);
            c50 = Vector128.MultiplyAddEstimate(a, b0, c50); c51 = Vector128.MultiplyAddEstimate(a, b1, c51);
            packedA += MR;
            packedB += NR;
        }
        var alphaV = Vector128.Create(alpha);
        if (beta == 0f)
        {
            Vector128.Store(alphaV * c00, c + 0 * ldc + 0); Vector128.Store(alphaV * c01, c + 0 * ldc + 4);
            Vector128.Store(alphaV * c10, c + 1 * ldc + 0); Vector128.Store(alphaV * c11, c + 1 * ldc + 4);
            Vector128.Store(alphaV * c20, c + 2 * ldc + 0); Vector128.Store(alphaV * c21, c + 2 * ldc + 4);
            Vector128.Store(alphaV * c30, c + 3 * ldc + 0); Vector128.Store(alphaV * c31, c + 3 * ldc + 4);
            Vector128.Store(alphaV * c40, c + 4 * ldc + 0); Vector128.Store(alphaV * c41, c + 4 * ldc + 4);
            Vector128.Store(alphaV * c50, c + 5 * ldc + 0); Vector128.Store(alphaV * c51, c + 5 * ldc + 4);
        }
        else
        {
            var betaV = Vector128.Create(beta);
            Vector128.Store(alphaV * c00 + betaV * Vector128.Load(c + 0 * ldc + 0), c + 0 * ldc + 0);
            Vector128.Store(alphaV * c01 + betaV * Vector128.Load(c + 0 * ldc + 4), c + 0 * ldc + 4);
            Vector128.Store(alphaV * c10 + betaV * Vector128.Load(c + 1 * ldc + 0), c + 1 * ldc + 0);
            Vector128.Store(alphaV * c11 + betaV * Vector128.Load(c + 1 * ldc + 4), c + 1 * ldc + 4);
            Vector128.Store(alphaV * c20 + betaV * Vector128.Load(c + 2 * ldc + 0), c + 2 * ldc + 0);
            Vector128.Store(alphaV * c21 + betaV * Vector128.Load(c + 2 * ldc + 4), c + 2 * ldc + 4);
            Vector128.Store(alphaV * c30 + betaV * Vector128.Load(c + 3 * ldc + 0), c + 3 * ldc + 0);
            Vector128.Store(alphaV * c31 + betaV * Vector128.Load(c + 3 * ldc + 4), c + 3 * ldc + 4);
            Vector128.Store(alphaV * c40 + betaV * Vector128.Load(c + 4 * ldc + 0), c + 4 * ldc + 0);
            Vector128.Store(alphaV * c41 + betaV * Vector128.Load(c + 4 * ldc + 4), c + 4 * ldc + 4);
            Vector128.Store(alphaV * c50 + betaV * Vector128.Load(c + 5 * ldc + 0), c + 5 * ldc + 0);
            Vector128.Store(alphaV * c51 + betaV * Vector128.Load(c + 5 * ldc + 4), c + 5 * ldc + 4);
        }
    }
}
