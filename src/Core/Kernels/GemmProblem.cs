namespace MLNetExt.Core.Kernels;

/// <summary>
/// One SGEMM call as plain data (pinned pointers and sizes), so that worker threads can be handed it by
/// reference without allocating. The chunk fields describe how C is split among threads.
/// </summary>
internal unsafe struct GemmProblem
{
    public readonly float* A, B, C;
    public readonly int M, N, K, Lda, Ldb, Ldc;
    public readonly float Alpha, Beta;
    public readonly bool TransA, TransB;

    /// <summary>Rows of C per parallel chunk.</summary>
    public int ChunkRows;

    /// <summary>Columns of C per parallel chunk.</summary>
    public int ChunkCols;

    /// <summary>Chunks per row of chunks (chunk index = row-of-chunks · ChunksAcross + column-of-chunks).</summary>
    public int ChunksAcross;

    public GemmProblem(bool transA, bool transB, int m, int n, int k, float alpha, float* a, int lda, float* b, int ldb,
        float beta, float* c, int ldc)
    {
        (TransA, TransB, M, N, K, Alpha, Lda, Ldb, Beta, Ldc) = (transA, transB, m, n, k, alpha, lda, ldb, beta, ldc);
        A = a;
        B = b;
        C = c;
        ChunkRows = m;
        ChunkCols = n;
        ChunksAcross = 1;
    }
}
