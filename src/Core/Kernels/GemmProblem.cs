namespace MLNetExt.Core.Kernels;

/// <summary>
/// One SGEMM call as plain data (pinned pointers and sizes), so that worker threads can be handed it by
/// reference without allocating. The slice fields describe the
/// work the parallel path hands to threads.
/// </summary>
internal unsafe struct GemmProblem
{
    public readonly float* A, B, C;
    public readonly int M, N, K, Lda, Ldb, Ldc;
    public readonly float Alpha, Beta;
    public readonly bool TransA, TransB;

    // The shared slice being computed by the parallel path: rows [Ic, Ic + Mc) and columns [Jc, Jc + Nc) of C,
    // k range [Pc, Pc + Kc), packed into PackedA and PackedB by the pack tasks, then multiplied tile by tile.
    public int Ic, Mc, Jc, Nc, Pc, Kc;
    public float SliceBeta;
    public float* PackedA, PackedB;

    /// <summary>Pack tasks: the first PackTasksA pack MC rows of A each, the rest pack PackColsB columns of B each.</summary>
    public int PackTasksA, PackColsB;

    /// <summary>Compute tiles: TileRows × TileCols blocks of the slice, TilesAcross of them per row of tiles.</summary>
    public int TileRows, TileCols, TilesAcross;

    /// <summary>The partitioned parallel path: C is cut into blocks of PartRows full rows, or else of PartCols full columns.</summary>
    public int PartRows, PartCols;

    /// <summary>
    /// The epilogue applied to each finished tile of C (after the last k slice): Bias[j] added to column j when not
    /// null, then max(·, 0) when Relu. Set only by <see cref="Gemm.SgemmBiasRelu"/>.
    /// </summary>
    public float* Bias;
    public bool Relu;

    public GemmProblem(bool transA, bool transB, int m, int n, int k, float alpha, float* a, int lda, float* b, int ldb,
        float beta, float* c, int ldc)
    {
        (TransA, TransB, M, N, K, Alpha, Lda, Ldb, Beta, Ldc) = (transA, transB, m, n, k, alpha, lda, ldb, beta, ldc);
        A = a;
        B = b;
        C = c;
        (Ic, Mc, Jc, Nc, Pc, Kc, SliceBeta) = (0, 0, 0, 0, 0, 0, beta);
        PackedA = null;
        PackedB = null;
        (PackTasksA, PackColsB, TileRows, TileCols, TilesAcross, PartRows, PartCols) = (0, 0, 0, 0, 0, 0, 0);
        Bias = null;
        Relu = false;
    }
}
