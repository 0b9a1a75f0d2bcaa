using System.Runtime.CompilerServices;
namespace MLNetExt.Core.Kernels;

/// <summary>The 4×4 SGEMM micro-kernel in plain scalar code, for hardware without usable 256-bit SIMD.</summary>
internal static unsafe class GemmKernelScalar
{
    /// <summary>Rows of the register tile.</summary>
    public const int MR = 4;

    /// <summary>Columns of the register tile.</summary>
    public const int NR = 4;

    // Shapes: packedA [kc, MR], packedB [kc, NR], c [MR, NR] with row stride ldc.
    // c = alpha·(packedA·packedB) + beta·c, and c = alpha·(packedA·packedB) when beta = 0.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Forward(int kc, float* packedA, float* packedB, float* c, int ldc, float alpha, float beta)
    {
        float c00 = 0, c01 = 0, c02 = 0, c03 = 0, c10 = 0, c11 = 0, c12 = 0, c13 = 0;
        float c20 = 0, c21 = 0, c22 = 0, c23 = 0, c30 = 0, c31 = 0, c32 = 0, c33 = 0;
        for (int p = 0; p < kc; p++)
        {
            float b0 = packedB[0], b1 = packedB[1], b2 = packedB[2], b3 = packedB[3];
            float a = packedA[0];
            c00 += a * b0; c01 += a * b1; c02 += a * b2; c03 += a * b3;
            a = packedA[1];
            c10 += a * b0; c11 += a * b1; c12 += a * b2; c13 += a * b3;
            a = packedA[2];
            c20 += a * b0; c21 += a * b1; c22 += a * b2; c23 += a * b3;
            a = packedA[3];
            c30 += a * b0; c31 += a * b1; c32 += a * b2; c33 += a * b3;
            packedA += MR;
            packedB += NR;
        }
        UpdateRow(c, c00, c01, c02, c03, alpha, beta);
        UpdateRow(c + ldc, c10, c11, c12, c13, alpha, beta);
        UpdateRow(c + 2 * ldc, c20, c21, c22, c23, alpha, beta);
        UpdateRow(c + 3 * ldc, c30, c31, c32, c33, alpha, beta);
    }

    private static void UpdateRow(float* row, float s0, float s1, float s2, float s3, float alpha, float beta)
    {
        row[0] = GemmKernels.Update(s0, row[0], alpha, beta);
        row[1] = GemmKernels.Update(s1, row[1], alpha, beta);
        row[2] = GemmKernels.Update(s2, row[2], alpha, beta);
        row[3] = GemmKernels.Update(s3, row[3], alpha, beta);
    }
}
