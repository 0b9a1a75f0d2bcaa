using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace MLNetExt.Core.Kernels;

/// <summary>
/// Per-thread packing storage for <see cref="Gemm"/>: the packed A block (MC×KC), the packed B panel (KC×NC)
/// and one MR×NR edge tile, each 64-byte aligned. It grows to the largest problem seen on the thread and is
/// then reused, so steady-state GEMM calls allocate nothing.
/// </summary>
internal sealed unsafe class GemmScratch
{
    private const int AlignmentFloats = 16;

    [ThreadStatic] private static GemmScratch? t_current;

    private float[] _storage = [];
    private int _capacityA;
    private int _capacityB;

    /// <summary>Packed A block: MR-row panels, each stored k-major (MR values per k).</summary>
    public float* PackedA { get; private set; }

    /// <summary>Packed B panel: NR-column panels, each stored k-major (NR values per k).</summary>
    public float* PackedB { get; private set; }

    /// <summary>An MR×NR tile with row stride NR, for edge tiles that must not be written straight into C.</summary>
    public float* EdgeTile { get; private set; }

    /// <summary>The calling thread's scratch with room for at least the given number of floats in A and B.</summary>
    public static GemmScratch ForCurrentThread(int floatsA, int floatsB)
    {
        var scratch = t_current ??= new GemmScratch();
        if (scratch._storage.Length == 0 || floatsA > scratch._capacityA || floatsB > scratch._capacityB)
            scratch.Grow(Math.Max(floatsA, scratch._capacityA), Math.Max(floatsB, scratch._capacityB));
        return scratch;
    }

    private void Grow(int floatsA, int floatsB)
    {
        int roundedA = RoundUp(floatsA), roundedB = RoundUp(floatsB), tile = RoundUp(GemmKernels.MaxTileFloats);
        // The pinned object heap keeps the pointers valid; the array dies with the thread.
        _storage = GC.AllocateUninitializedArray<float>(roundedA + roundedB + tile + AlignmentFloats, pinned: true);
        float* start = (float*)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(_storage));
        float* aligned = (float*)(((nuint)start + 63) & ~(nuint)63);
        PackedA = aligned;
        PackedB = aligned + roundedA;
        EdgeTile = aligned + roundedA + roundedB;
        _capacityA = roundedA;
        _capacityB = roundedB;
    }

    private static int RoundUp(int floats) => (floats + AlignmentFloats - 1) / AlignmentFloats * AlignmentFloats;
}
