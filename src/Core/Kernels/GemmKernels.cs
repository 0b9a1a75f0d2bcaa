using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace MLNetExt.Core.Kernels;

/// <summary>
/// Picks the SGEMM micro-kernel for this machine once (AVX-512, else AVX2/FMA, else 128-bit SIMD: ARM64's AdvSimd or
/// x64's SSE, else scalar) and fixes the
/// register tile MR×NR that packing must produce for it.
/// </summary>
internal static unsafe class GemmKernels
{
    /// <summary>The micro-kernel in use.</summary>
    public static readonly GemmKernelKind Kind =
        Vector512.IsHardwareAccelerated && Avx512F.IsSupported ? GemmKernelKind.Vector512
        : Vector256.IsHardwareAccelerated && Fma.IsSupported ? GemmKernelKind.Vector256
        : Vector128.IsHardwareAccelerated ? GemmKernelKind.Vector128
        : GemmKernelKind.Scalar;

    /// <summary>Rows of the register tile of <see cref="Kind"/>.</summary>
    public static readonly int MR = Kind switch
    {
        GemmKernelKind.Vector512 => GemmKernelVector512.MR,
        GemmKernelKind.Vector256 => GemmKernelVector256.MR,
        GemmKernelKind.Vector128 => GemmKernelVector128.MR,
        _ => GemmKernelScalar.MR,
    };

    /// <summary>Columns of the register tile of <see cref="Kind"/>.</summary>
    public static readonly int NR = Kind switch
    {
        GemmKernelKind.Vector512 => GemmKernelVector512.NR,
        GemmKernelKind.Vector256 => GemmKernelVector256.NR,
        GemmKernelKind.Vector128 => GemmKernelVector128.NR,
        _ => GemmKernelScalar.NR,
    };

    /// <summary>The largest MR·NR of any kernel (the edge tile's size).</summary>
    public const int MaxTileFloats = GemmKernelVector512.MR * GemmKernelVector512.NR;

    /// <summary>One full MR×NR tile: c = alpha·(packedA·packedB) + beta·c (c overwritten when beta = 0).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Tile(int kc, float* packedA, float* packedB, float* c, int ldc, float alpha, float beta)
    {
        switch (Kind)
        {
            case GemmKernelKind.Vector512: GemmKernelVector512.Forward(kc, packedA, packedB, c, ldc, alpha, beta); break;
            case GemmKernelKind.Vector256: GemmKernelVector256.Forward(kc, packedA, packedB, c, ldc, alpha, beta); break;
            case GemmKernelKind.Vector128: GemmKernelVector128.Forward(kc, packedA, packedB, c, ldc, alpha, beta); break;
            default: GemmKernelScalar.Forward(kc, packedA, packedB, c, ldc, alpha, beta); break;
        }
    }

    /// <summary>
    /// A partial tile at C's edge: the kernel writes the raw sums into <paramref name="edgeTile"/> (row stride NR)
    /// and only the mr×nr part inside C is updated, with the same arithmetic as a full tile. An edge of at most 16
    /// columns on the AVX-512 kernel computes only the tile's left half (C with 100 columns, say, ends in 4).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void EdgeTile(int kc, float* packedA, float* packedB, float* edgeTile, float* c, int ldc,
        int mr, int nr, float alpha, float beta)
    {
        if (Kind == GemmKernelKind.Vector512 && nr <= GemmKernelVector512.HalfNR)
            GemmKernelVector512.ForwardLeftHalf(kc, packedA, packedB, edgeTile);
        else
            Tile(kc, packedA, packedB, edgeTile, NR, 1f, 0f);
        for (int r = 0; r < mr; r++)
        {
            float* sums = edgeTile + r * NR;
            float* row = c + (nint)r * ldc;
            for (int j = 0; j < nr; j++) row[j] = Update(sums[j], row[j], alpha, beta);
        }
    }

    /// <summary>
    /// The C update every kernel applies per element: alpha·sum + beta·c as an unfused multiply, multiply and
    /// add, or alpha·sum when beta = 0 (so C's old value, NaN or not, is never read into the result).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Update(float sum, float c, float alpha, float beta) => beta == 0f ? alpha * sum : alpha * sum + beta * c;
}
