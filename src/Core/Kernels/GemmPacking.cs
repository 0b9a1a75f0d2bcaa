using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace MLNetExt.Core.Kernels;

/// <summary>
/// Copies blocks of op(A) and op(B) into the contiguous panel layouts the micro-kernels stream through. The
/// transpose flags are resolved here, so every NN/NT/TN/TT product runs the same kernel; panels past the
/// matrix edge are zero-padded so the kernel always computes whole MR×NR tiles.
/// </summary>
internal static unsafe class GemmPacking
{
    // Shapes: op(A) rows [row0, row0 + rows) × columns [k0, k0 + kc), where op(A)(i, p) is a[i·lda + p], or
    // a[p·lda + i] when transposed → packed [ceil(rows / mr)] panels of [kc, mr]; panel q starts at q·mr·kc.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void PackA(float* a, int lda, bool transA, int row0, int rows, int k0, int kc, float* packed, int mr)
    {
        if (transA && PackRowsAcrossPanels(a + (nint)k0 * lda + row0, lda, kc, rows, packed, mr)) return;
        for (int i = 0; i < rows; i += mr)
        {
            int height = Math.Min(mr, rows - i);
            float* panel = packed + (nint)i * kc;
            if (transA)
                PackContiguous(a + (nint)k0 * lda + row0 + i, lda, kc, height, panel, mr);
            else
                PackStrided(a + (nint)(row0 + i) * lda + k0, lda, kc, height, panel, mr);
        }
    }

    // Shapes: op(B) rows [k0, k0 + kc) × columns [col0, col0 + cols), where op(B)(p, j) is b[p·ldb + j], or
    // b[j·ldb + p] when transposed → packed [ceil(cols / nr)] panels of [kc, nr]; panel q starts at q·nr·kc.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void PackB(float* b, int ldb, bool transB, int k0, int kc, int col0, int cols, float* packed, int nr)
    {
        for (int j = 0; j < cols; j += nr)
        {
            int width = Math.Min(nr, cols - j);
            float* panel = packed + (nint)j * kc;
            if (transB)
                PackStrided(b + (nint)(col0 + j) * ldb + k0, ldb, kc, width, panel, nr);
            else
                PackContiguous(b + (nint)k0 * ldb + col0 + j, ldb, kc, width, panel, nr);
        }
    }

    // The panel's `width` lanes are contiguous in the source for each k: source row p starts at src + p·ld.
    // Full panels (every tile but the edge ones) move with vector loads and stores: a memmove call per k row of
    // 8 to 32 floats cost more than the copy itself on the long-k products of backward (dW = dYᵀ·X).
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void PackContiguous(float* src, int ld, int kc, int width, float* panel, int lanes)
    {
        if (width == lanes && CopyFullRows(src, ld, kc, panel, lanes)) return;
        if (width == 6 && lanes == 6 && Vector128.IsHardwareAccelerated)
        {
            // The AVX2 kernel's panels of a transposed A (dW = dYᵀ·X): 4 + 2 floats per k, not a memmove call.
            for (int p = 0; p < kc; p++)
            {
                float* from = src + (nint)p * ld, to = panel + p * 6;
                Vector128.Store(Vector128.Load(from), to);
                *(ulong*)(to + 4) = *(ulong*)(from + 4);
            }
            return;
        }
        uint bytes = (uint)(width * sizeof(float)), padBytes = (uint)((lanes - width) * sizeof(float));
        for (int p = 0; p < kc; p++)
        {
            float* dst = panel + p * lanes;
            Unsafe.CopyBlockUnaligned(dst, src + (nint)p * ld, bytes);
            if (padBytes != 0) Unsafe.InitBlockUnaligned(dst + width, 0, padBytes);
        }
    }

    // Stored rows of a transposed A run along m, so one pass reads each source row once, front to back, and deals
    // it out MR floats per panel: long sequential reads instead of a 32-byte read per row and panel, which on the
    // long-k products of backward (k = B·T) cost a cache and TLB miss each; the last panel is zero-padded. False
    // when the kernel's panels are not 8 rows high.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static bool PackRowsAcrossPanels(float* src, int ld, int kc, int rows, float* packed, int lanes)
    {
        if (!Vector256.IsHardwareAccelerated || lanes != 8) return false;
        int full = rows - rows % 8, rest = rows % 8;
        for (int p = 0; p < kc; p++)
        {
            float* from = src + (nint)p * ld, to = packed + p * 8;
            for (int i = 0; i < full; i += 8, to += 8 * kc)
                Vector256.Store(Vector256.Load(from + i), to);
            if (rest == 0) continue;
            for (int r = 0; r < rest; r++) to[r] = from[full + r];
            for (int r = rest; r < 8; r++) to[r] = 0f;
        }
        return true;
    }

    // Copies kc rows of `lanes` floats when lanes is a multiple of a hardware vector; false otherwise.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool CopyFullRows(float* src, int ld, int kc, float* panel, int lanes)
    {
        if (Vector512.IsHardwareAccelerated && lanes % 16 == 0)
        {
            for (int p = 0; p < kc; p++)
            {
                float* from = src + (nint)p * ld, to = panel + p * lanes;
                for (int j = 0; j < lanes; j += 16) Vector512.Store(Vector512.Load(from + j), to + j);
            }
            return true;
        }
        if (Vector256.IsHardwareAccelerated && lanes % 8 == 0)
        {
            for (int p = 0; p < kc; p++)
            {
                float* from = src + (nint)p * ld, to = panel + p * lanes;
                for (int j = 0; j < lanes; j += 8) Vector256.Store(Vector256.Load(from + j), to + j);
            }
            return true;
        }
        return false;
    }

    // Lane r of the panel is source row r, contiguous along k: element (r, p) is src[r·ld + p]. Full panels
    // transpose 8×8 blocks in registers, since element-wise strided stores would cost more than the kernel's
    // multiply-adds on the rows of a short operand (a 64-row batch times a transposed weight).
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void PackStrided(float* src, int ld, int kc, int width, float* panel, int lanes)
    {
        int p0 = 0;
        if (Avx.IsSupported && width == lanes && lanes % 8 == 0)
        {
            for (; p0 + 8 <= kc; p0 += 8)
                for (int r = 0; r < lanes; r += 8)
                    Transpose8x8(src + (nint)r * ld + p0, ld, panel + p0 * lanes + r, lanes);
        }
        else if (Avx.IsSupported && width == lanes && lanes == 6)
        {
            // The AVX2 kernel's 6-row panels of a row-major A (a batch times a transposed weight): 6×8 register
            // transposes instead of one scalar load and store per element, which cost as much as a small product.
            for (; p0 + 8 <= kc; p0 += 8)
                Transpose6x8(src + p0, ld, panel + p0 * 6);
        }
        for (int r = 0; r < width; r++)
        {
            float* row = src + (nint)r * ld;
            float* dst = panel + r;
            for (int p = p0; p < kc; p++) dst[p * lanes] = row[p];
        }
        for (int r = width; r < lanes; r++)
        {
            float* dst = panel + r;
            for (int p = 0; p < kc; p++) dst[p * lanes] = 0f;
        }
    }

    // Shapes: src [6, 8] with row stride ld → dst [8, 6] (contiguous), dst(q, r) = src(r, q): Transpose8x8 with two
    // zero rows, keeping the first 6 lanes of each transposed row.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Transpose6x8(float* src, int ld, float* dst)
    {
        var r0 = Avx.LoadVector256(src);
        var r1 = Avx.LoadVector256(src + ld);
        var r2 = Avx.LoadVector256(src + 2 * (nint)ld);
        var r3 = Avx.LoadVector256(src + 3 * (nint)ld);
        var r4 = Avx.LoadVector256(src + 4 * (nint)ld);
        var r5 = Avx.LoadVector256(src + 5 * (nint)ld);
        var zero = Vector256<float>.Zero;
        Vector256<float> t0 = Avx.UnpackLow(r0, r1), t1 = Avx.UnpackHigh(r0, r1), t2 = Avx.UnpackLow(r2, r3), t3 = Avx.UnpackHigh(r2, r3);
        Vector256<float> t4 = Avx.UnpackLow(r4, r5), t5 = Avx.UnpackHigh(r4, r5);
        Vector256<float> s0 = Avx.Shuffle(t0, t2, 0x44), s1 = Avx.Shuffle(t0, t2, 0xEE), s2 = Avx.Shuffle(t1, t3, 0x44), s3 = Avx.Shuffle(t1, t3, 0xEE);
        Vector256<float> s4 = Avx.Shuffle(t4, zero, 0x44), s5 = Avx.Shuffle(t4, zero, 0xEE), s6 = Avx.Shuffle(t5, zero, 0x44), s7 = Avx.Shuffle(t5, zero, 0xEE);
        StoreSix(dst, Avx.Permute2x128(s0, s4, 0x20));
        StoreSix(dst + 6, Avx.Permute2x128(s1, s5, 0x20));
        StoreSix(dst + 12, Avx.Permute2x128(s2, s6, 0x20));
        StoreSix(dst + 18, Avx.Permute2x128(s3, s7, 0x20));
        StoreSix(dst + 24, Avx.Permute2x128(s0, s4, 0x31));
        StoreSix(dst + 30, Avx.Permute2x128(s1, s5, 0x31));
        StoreSix(dst + 36, Avx.Permute2x128(s2, s6, 0x31));
        StoreSix(dst + 42, Avx.Permute2x128(s3, s7, 0x31));
    }

    // The first 6 lanes of v to dst[0..6): a 4-float and a 2-float store, nothing past dst + 6 written.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void StoreSix(float* dst, Vector256<float> v)
    {
        Vector128.Store(v.GetLower(), dst);
        *(ulong*)(dst + 4) = v.GetUpper().AsUInt64().ToScalar();
    }

    // Shapes: src [8, 8] with row stride ld → dst [8, 8] with row stride dstStride, dst(q, r) = src(r, q).
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Transpose8x8(float* src, int ld, float* dst, int dstStride)
    {
        var r0 = Avx.LoadVector256(src);
        var r1 = Avx.LoadVector256(src + ld);
        var r2 = Avx.LoadVector256(src + 2 * (nint)ld);
        var r3 = Avx.LoadVector256(src + 3 * (nint)ld);
        var r4 = Avx.LoadVector256(src + 4 * (nint)ld);
        var r5 = Avx.LoadVector256(src + 5 * (nint)ld);
        var r6 = Avx.LoadVector256(src + 6 * (nint)ld);
        var r7 = Avx.LoadVector256(src + 7 * (nint)ld);
        // Interleave pairs of rows, then pairs of pairs: each 128-bit half then holds 4×4 transposed blocks.
        Vector256<float> t0 = Avx.UnpackLow(r0, r1), t1 = Avx.UnpackHigh(r0, r1), t2 = Avx.UnpackLow(r2, r3), t3 = Avx.UnpackHigh(r2, r3);
        Vector256<float> t4 = Avx.UnpackLow(r4, r5), t5 = Avx.UnpackHigh(r4, r5), t6 = Avx.UnpackLow(r6, r7), t7 = Avx.UnpackHigh(r6, r7);
        Vector256<float> s0 = Avx.Shuffle(t0, t2, 0x44), s1 = Avx.Shuffle(t0, t2, 0xEE), s2 = Avx.Shuffle(t1, t3, 0x44), s3 = Avx.Shuffle(t1, t3, 0xEE);
        Vector256<float> s4 = Avx.Shuffle(t4, t6, 0x44), s5 = Avx.Shuffle(t4, t6, 0xEE), s6 = Avx.Shuffle(t5, t7, 0x44), s7 = Avx.Shuffle(t5, t7, 0xEE);
        Avx.Store(dst, Avx.Permute2x128(s0, s4, 0x20));
        Avx.Store(dst + dstStride, Avx.Permute2x128(s1, s5, 0x20));
        Avx.Store(dst + 2 * dstStride, Avx.Permute2x128(s2, s6, 0x20));
        Avx.Store(dst + 3 * dstStride, Avx.Permute2x128(s3, s7, 0x20));
        Avx.Store(dst + 4 * dstStride, Avx.Permute2x128(s0, s4, 0x31));
        Avx.Store(dst + 5 * dstStride, Avx.Permute2x128(s1, s5, 0x31));
        Avx.Store(dst + 6 * dstStride, Avx.Permute2x128(s2, s6, 0x31));
        Avx.Store(dst + 7 * dstStride, Avx.Permute2x128(s3, s7, 0x31));
    }
}
