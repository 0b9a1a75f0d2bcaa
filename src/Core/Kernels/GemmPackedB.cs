using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace MLNetExt.Core.Kernels;

/// <summary>
/// A right-hand operand op(B) [k, n] packed once into the NR-column panels the micro-kernel reads, for every KC
/// slice of k, so that products reusing a constant B (a recurrent weight applied at every time step) pack only A
/// (<see cref="Gemm.SgemmPacked"/>). The storage grows to the largest operand packed and is then reused:
/// repacking allocates nothing.
/// </summary>
internal sealed unsafe class GemmPackedB
{
    private const int AlignmentFloats = 16;

    private float[] _storage = [];
    private float* _data;

    /// <summary>The packed panels (see <see cref="GemmPackedPanels"/> for the layout); empty until packed.</summary>
    public GemmPackedPanels Panels { get; private set; }

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
        Panels = new GemmPackedPanels(_data, k, n, paddedN);
        fixed (float* pb = b)
        {
            for (int pc = 0; pc < k; pc += Gemm.KC)
                GemmPacking.PackB(pb, ldb, transB, pc, Math.Min(Gemm.KC, k - pc), 0, n, Panels.Slice(pc), nr);
        }
    }

    private void Grow(int floats)
    {
        if (_data != null && _storage.Length >= floats + AlignmentFloats) return;
        // Pinned, so the panel pointer stays valid for the object's life.
        _storage = GC.AllocateUninitializedArray<float>(floats + AlignmentFloats, pinned: true);
        float* start = (float*)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(_storage));
        _data = (float*)(((nuint)start + 63) & ~(nuint)63);
    }
}
