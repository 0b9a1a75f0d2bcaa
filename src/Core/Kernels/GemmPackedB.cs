using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace MLNetExt.Core.Kernels;

/// <summary>
/// A right-hand operand op(B) [k, n] packed once into the NR-column panels the micro-kernel reads, for every KC
/// slice of k, so that products reusing a constant B (a recurrent weight applied at every time step) pack only A.
/// The storage grows to the largest operand packed and is then reused: repacking allocates nothing.
/// </summary>
/// <remarks>
/// Layout: slice s (k range [s·KC, s·KC + kc)) starts at s·KC·n̄ with n̄ = n rounded up to NR, and holds
/// [n̄ / NR] panels of [kc, NR]; column block jc of a slice therefore starts jc·kc past the slice, exactly where
/// <see cref="Gemm"/>'s own packing would put it, so <see cref="Gemm.SgemmPacked"/> runs the same kernels in the
/// same k order as <see cref="Gemm.Sgemm"/>.
/// </remarks>
internal sealed unsafe class GemmPackedB
{
    private const int AlignmentFloats = 16;

    private float[] _storage = [];
    private float* _packed;

    /// <summary>Rows of op(B): the depth of the product.</summary>
    public int K { get; private set; }

    /// <summary>Columns of op(B) (and of C).</summary>
    public int N { get; private set; }

    /// <summary>Columns rounded up to the micro-kernel's NR (the packed width of every slice).</summary>
    internal int PaddedN { get; private set; }

    /// <summary>
    /// Packs op(B), k×n: b is stored k×n with row stride <paramref name="ldb"/>, or n×k when
    /// <paramref name="transB"/> (op(B) = Bᵀ).
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">A size is negative or the row stride is shorter than a row.</exception>
    /// <exception cref="ArgumentException">The span is too short for the matrix.</exception>
    public void Pack(bool transB, int k, int n, ReadOnlySpan<float> b, int ldb)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(k);
        ArgumentOutOfRangeException.ThrowIfNegative(n);
        Gemm.CheckMatrix(b.Length, transB ? n : k, transB ? k : n, ldb, nameof(b), nameof(ldb));
        int nr = GemmKernels.NR;
        int paddedN = (n + nr - 1) / nr * nr;
        long floats = (long)k * paddedN;
        if (floats > Array.MaxLength - 2 * AlignmentFloats)
            throw new ArgumentException($"A packed operand of {k}×{n} floats is too large.", nameof(b));
        Grow((int)floats);
        (K, N, PaddedN) = (k, n, paddedN);
        fixed (float* pb = b)
        {
            for (int pc = 0; pc < k; pc += Gemm.KC)
                GemmPacking.PackB(pb, ldb, transB, pc, Math.Min(Gemm.KC, k - pc), 0, n, Slice(pc), nr);
        }
    }

    /// <summary>The packed slice that starts at depth <paramref name="pc"/> (a multiple of KC).</summary>
    internal float* Slice(int pc) => _packed + (nint)pc * PaddedN;

    /// <summary>Element op(B)(p, j), read back from the panels (for the unpacked path of tiny products).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal float At(int p, int j)
    {
        int pc = p - p % Gemm.KC, kc = Math.Min(Gemm.KC, K - pc), nr = GemmKernels.NR;
        return Slice(pc)[(nint)(j - j % nr) * kc + (p - pc) * nr + j % nr];
    }

    private void Grow(int floats)
    {
        if (_storage.Length >= floats + AlignmentFloats && _packed != null) return;
        // Pinned so the panel pointer stays valid for the object's life.
        _storage = GC.AllocateUninitializedArray<float>(floats + AlignmentFloats, pinned: true);
        float* start = (float*)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(_storage));
        _packed = (float*)(((nuint)start + 63) & ~(nuint)63);
    }
}
