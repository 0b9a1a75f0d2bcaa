using System.Runtime.CompilerServices;

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
    public static void PackA(float* a, int lda, bool transA, int row0, int rows, int k0, int kc, float* packed, int mr)
    {
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
    private static void PackContiguous(float* src, int ld, int kc, int width, float* panel, int lanes)
    {
        uint bytes = (uint)(width * sizeof(float)), padBytes = (uint)((lanes - width) * sizeof(float));
        for (int p = 0; p < kc; p++)
        {
            float* dst = panel + p * lanes;
            Unsafe.CopyBlockUnaligned(dst, src + (nint)p * ld, bytes);
            if (padBytes != 0) Unsafe.InitBlockUnaligned(dst + width, 0, padBytes);
        }
    }

    // Lane r of the panel is source row r, contiguous along k: element (r, p) is src[r·ld + p].
    private static void PackStrided(float* src, int ld, int kc, int width, float* panel, int lanes)
    {
        for (int r = 0; r < width; r++)
        {
            float* row = src + (nint)r * ld;
            float* dst = panel + r;
            for (int p = 0; p < kc; p++) dst[p * lanes] = row[p];
        }
        for (int r = width; r < lanes; r++)
        {
            float* dst = panel + r;
            for (int p = 0; p < kc; p++) dst[p * lanes] = 0f;
        }
    }
}
