using System.Runtime.CompilerServices;

namespace MLNetExt.Core.Kernels;

/// <summary>
/// An unmanaged view of a <see cref="GemmPackedB"/>'s panels (pinned storage), so that state structs handed to
/// <see cref="Threading.WorkerPool"/> can carry a packed operand. Valid while its <see cref="GemmPackedB"/> lives
/// and is not repacked to a larger size.
/// </summary>
/// <remarks>
/// Layout: slice s (k range [s·KC, s·KC + kc)) starts at s·KC·n̄ with n̄ = n rounded up to NR, and holds
/// [n̄ / NR] panels of [kc, NR]; column block jc of a slice therefore starts jc·kc past the slice, exactly where
/// <see cref="Gemm"/>'s own packing would put it.
/// </remarks>
internal readonly unsafe struct GemmPackedPanels
{
    private readonly float* _data;

    /// <summary>Rows of op(B): the depth of the product.</summary>
    public readonly int K;

    /// <summary>Columns of op(B) (and of C).</summary>
    public readonly int N;

    /// <summary>Columns rounded up to the micro-kernel's NR (the packed width of every slice).</summary>
    public readonly int PaddedN;

    public GemmPackedPanels(float* data, int k, int n, int paddedN)
    {
        _data = data;
        (K, N, PaddedN) = (k, n, paddedN);
    }

    /// <summary>Whether this view has been packed at all.</summary>
    public bool IsEmpty => _data == null;

    /// <summary>The packed slice that starts at depth <paramref name="pc"/> (a multiple of KC).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public float* Slice(int pc) => _data + (nint)pc * PaddedN;

    /// <summary>Element op(B)(p, j), read back from the panels (for the unpacked path of tiny products).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public float At(int p, int j)
    {
        int pc = p - p % Gemm.KC, kc = Math.Min(Gemm.KC, K - pc), nr = GemmKernels.NR;
        return Slice(pc)[(nint)(j - j % nr) * kc + (p - pc) * nr + j % nr];
    }
}
