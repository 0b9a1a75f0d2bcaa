using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Numerics.Tensors;
using MLNetExt.Core.Threading;

namespace MLNetExt.Core.Kernels;

/// <summary>Single-precision general matrix multiply on row-major storage.</summary>
/// <remarks>
/// Goto/BLIS scheme: C is cut into NC-wide column blocks; for each KC slice of k the B block is packed into
/// NR-column panels, then for each MC-row block of A the A block is packed into MR-row panels and a
/// register-blocked micro-kernel computes every MR×NR tile. With <see cref="Engine.ThreadCount"/> above 1, a product
/// with enough rows (or columns) of C is cut into blocks of whole rows (columns) that the threads of
/// <see cref="WorkerPool"/> take one at a time, each running the single-thread algorithm on its block: one hand-out
/// per call however long k is. Other large products share each packed slice among the threads, which take tiles
/// of C whole. Either way each element of C is computed by one thread in the same k order whatever the thread
/// count, so results are bitwise identical for any number of threads. Calls allocate nothing once a thread's packing buffers exist.
/// Driver methods are compiled fully optimized up front (AggressiveOptimization): the engine's small per-step
/// products would otherwise run unoptimized code until tiered compilation catches up.
/// </remarks>
public static unsafe class Gemm
{
    /// <summary>Depth of one packed slice of k (the micro-panels of A and B are KC long).</summary>
    internal const int KC = 256;

    /// <summary>Rows of A packed at once (a multiple of every kernel's MR: 8, 6 and 4).</summary>
    internal const int MC = 144;

    /// <summary>Columns of B packed at once (a multiple of every kernel's NR: 32, 16 and 4).</summary>
    internal const int NC = 2048;

    /// <summary>Products with m·n·k up to this run as plain loops: packing would cost more than it saves.</summary>
    internal const long DirectMaxWork = 8 * 8 * 8;

    /// <summary>Products with m·n·k below this stay on the calling thread: waking workers would cost more.</summary>
    internal const long ParallelMinWork = 64 * 64 * 64;

    /// <summary>Tiles of C per thread and k slice in the parallel path: enough that dynamic hand-out balances.</summary>
    internal const int TilesPerThread = 8;

    /// <summary>Rows of C the parallel path packs and computes at once (bounds the shared packed-A buffer).</summary>
    internal const int ParallelMaxRows = 16 * MC;

    /// <summary>The fewest rows (or columns) of C in one block of the partitioned path: below that, repacking the
    /// other operand for every block would cost more than a shared pack.</summary>
    internal const int MinPartition = 64;

    /// <summary>Blocks per thread in the partitioned path: enough that dynamic hand-out balances a busy core.</summary>
    internal const int PartitionsPerThread = 4;

    /// <summary>The largest operand (in floats) the partitioned path repacks for every block: beyond about half a MiB
    /// the repacking costs more than the shared pack's barriers (512² on two threads ran 15% slower partitioned).</summary>
    internal const long MaxRepackedFloats = 128 * 1024;

    /// <summary>
    /// Effectively computes <c>C = alpha · op(A) · op(B) + beta · C</c>, where op(A) is m×k and op(B) is k×n,
    /// all row-major. <paramref name="transA"/> means A is stored k×m (so op(A) = Aᵀ); likewise
    /// <paramref name="transB"/>. <paramref name="lda"/>, <paramref name="ldb"/>, <paramref name="ldc"/> are the
    /// row strides of A, B and C as stored. With beta = 0, C is overwritten (NaNs in C do not propagate).
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">A size is negative or a row stride is shorter than its row.</exception>
    /// <exception cref="ArgumentException">A span is too short for its matrix.</exception>
    public static void Sgemm(bool transA, bool transB, int m, int n, int k, float alpha,
        ReadOnlySpan<float> a, int lda, ReadOnlySpan<float> b, int ldb, float beta, Span<float> c, int ldc)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(m);
        ArgumentOutOfRangeException.ThrowIfNegative(n);
        ArgumentOutOfRangeException.ThrowIfNegative(k);
        CheckMatrix(a.Length, transA ? k : m, transA ? m : k, lda, nameof(a), nameof(lda));
        CheckMatrix(b.Length, transB ? n : k, transB ? k : n, ldb, nameof(b), nameof(ldb));
        CheckMatrix(c.Length, m, n, ldc, nameof(c), nameof(ldc));
        if (m == 0 || n == 0) return;

        fixed (float* pa = a, pb = b, pc = c)
        {
            var problem = new GemmProblem(transA, transB, m, n, k, alpha, pa, lda, pb, ldb, beta, pc, ldc);
            long work = (long)m * n * k;
            if (k == 0 || alpha == 0f)
                ScaleC(in problem);
            else if (work <= DirectMaxWork)
                Direct(in problem);
            else if (work < ParallelMinWork || Engine.ThreadCount == 1)
                Blocked(in problem);
            else if (!Partitioned(ref problem, Engine.ThreadCount))
                Parallel(ref problem, Engine.ThreadCount);
        }
    }

    /// <summary>
    /// <c>C = op(A) · op(B) + bias</c> (<paramref name="bias"/> [n] added to every row; none when empty), then
    /// <c>max(C, 0)</c> when <paramref name="relu"/>: a linear layer's affine map and activation in one call. The bias
    /// and the rectifier are applied to each tile of C as it is finished, on the thread that computed it, while the
    /// tile is in cache. Every element is bitwise what <see cref="Sgemm"/> (alpha 1, beta 0) followed by a separate
    /// bias addition and <c>max(·, 0)</c> gives.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">A size is negative or a row stride is shorter than its row.</exception>
    /// <exception cref="ArgumentException">A span is too short for its matrix, or the bias is neither empty nor n long.</exception>
    internal static void SgemmBiasRelu(bool transA, bool transB, int m, int n, int k,
        ReadOnlySpan<float> a, int lda, ReadOnlySpan<float> b, int ldb, ReadOnlySpan<float> bias, bool relu, Span<float> c, int ldc)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(m);
        ArgumentOutOfRangeException.ThrowIfNegative(n);
        ArgumentOutOfRangeException.ThrowIfNegative(k);
        CheckMatrix(a.Length, transA ? k : m, transA ? m : k, lda, nameof(a), nameof(lda));
        CheckMatrix(b.Length, transB ? n : k, transB ? k : n, ldb, nameof(b), nameof(ldb));
        CheckMatrix(c.Length, m, n, ldc, nameof(c), nameof(ldc));
        if (!bias.IsEmpty && bias.Length != n)
            throw new ArgumentException($"The bias has {bias.Length} elements but C has {n} columns.", nameof(bias));
        if (m == 0 || n == 0) return;

        fixed (float* pa = a, pb = b, pc = c, pbias = bias)
        {
            var problem = new GemmProblem(transA, transB, m, n, k, 1f, pa, lda, pb, ldb, 0f, pc, ldc)
            {
                Bias = bias.IsEmpty ? null : pbias,
                Relu = relu,
            };
            long work = (long)m * n * k;
            if (k == 0 || work <= DirectMaxWork)
            {
                if (k == 0) ScaleC(in problem);
                else Direct(in problem);
                Epilogue(pc, ldc, m, n, problem.Bias, relu);
            }
            else if (work < ParallelMinWork || Engine.ThreadCount == 1)
                Blocked(in problem);
            else if (!Partitioned(ref problem, Engine.ThreadCount))
                Parallel(ref problem, Engine.ThreadCount);
        }
    }

    // Shapes: c [rows, cols] with row stride ldc, bias [cols] or null: c = c + bias, then max(c, 0) when relu, element
    // by element (each a single rounding, so any vector width gives the same bits; Vector256.Max and MathF.Max are
    // IEEE 754:2019 maximum, as TensorPrimitives.Max: a NaN stays NaN, −0 becomes +0).
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Epilogue(float* c, int ldc, int rows, int cols, float* bias, bool relu)
    {
        if (bias == null && !relu) return;
        for (int r = 0; r < rows; r++)
        {
            float* row = c + (nint)r * ldc;
            int j = 0;
            if (Vector256.IsHardwareAccelerated)
            {
                for (; j + Vector256<float>.Count <= cols; j += Vector256<float>.Count)
                {
                    var v = Vector256.Load(row + j);
                    if (bias != null) v += Vector256.Load(bias + j);
                    if (relu) v = Vector256.Max(v, Vector256<float>.Zero);
                    Vector256.Store(v, row + j);
                }
            }
            else if (Vector128.IsHardwareAccelerated)
            {
                for (; j + Vector128<float>.Count <= cols; j += Vector128<float>.Count)
                {
                    var v = Vector128.Load(row + j);
                    if (bias != null) v += Vector128.Load(bias + j);
                    if (relu) v = Vector128.Max(v, Vector128<float>.Zero);
                    Vector128.Store(v, row + j);
                }
            }
            for (; j < cols; j++)
            {
                float v = row[j];
                if (bias != null) v += bias[j];
                if (relu) v = MathF.Max(v, 0f);
                row[j] = v;
            }
        }
    }

    internal static void CheckMatrix(int length, int rows, int cols, int ld, string name, string ldName)
    {
        if (ld < cols)
            throw new ArgumentOutOfRangeException(ldName, ld, $"The row stride must be at least the stored row width {cols}.");
        long needed = rows == 0 || cols == 0 ? 0 : (long)(rows - 1) * ld + cols;
        if (length < needed)
            throw new ArgumentException($"Matrix {name} stored as {rows}×{cols} with row stride {ld} needs {needed} elements but the span has {length}.", name);
    }

    /// <summary>
    /// <see cref="Sgemm"/> with op(B) already packed: <c>C = alpha · op(A) · op(B) + beta · C</c>, op(A) m×k (A
    /// stored k×m when <paramref name="transA"/>), op(B) = <paramref name="b"/> (k×n, from <see cref="GemmPackedB"/>). Only A is packed per call.
    /// Every element comes out bitwise equal to <see cref="Sgemm"/> on the unpacked B. Runs on the calling thread
    /// (callers such as a recurrent step already split the rows among threads).
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">m is negative or a row stride is shorter than its row.</exception>
    /// <exception cref="ArgumentException">A span is too short for its matrix.</exception>
    internal static void SgemmPacked(bool transA, int m, float alpha, ReadOnlySpan<float> a, int lda, in GemmPackedPanels b,
        float beta, Span<float> c, int ldc)
    {
        if (b.IsEmpty) throw new ArgumentException("The packed operand has not been packed.", nameof(b));
        ArgumentOutOfRangeException.ThrowIfNegative(m);
        int n = b.N, k = b.K;
        CheckMatrix(a.Length, transA ? k : m, transA ? m : k, lda, nameof(a), nameof(lda));
        CheckMatrix(c.Length, m, n, ldc, nameof(c), nameof(ldc));
        if (m == 0 || n == 0) return;

        fixed (float* pa = a, pc = c)
        {
            var problem = new GemmProblem(transA, false, m, n, k, alpha, pa, lda, null, 0, beta, pc, ldc);
            if (k == 0 || alpha == 0f)
                ScaleC(in problem);
            else if ((long)m * n * k <= DirectMaxWork)
                DirectPacked(in problem, in b);
            else
                BlockedPacked(in problem, in b);
        }
    }

    // Direct's sums, with op(B) read back from the panels.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void DirectPacked(in GemmProblem p, in GemmPackedPanels b)
    {
        nint aRow = p.TransA ? 1 : p.Lda, aStep = p.TransA ? p.Lda : 1;
        for (int i = 0; i < p.M; i++)
        {
            float* ai = p.A + i * aRow;
            float* cRow = p.C + (nint)i * p.Ldc;
            for (int j = 0; j < p.N; j++)
            {
                float sum = 0f;
                for (int q = 0; q < p.K; q++) sum += ai[q * aStep] * b.At(q, j);
                cRow[j] = GemmKernels.Update(sum, cRow[j], p.Alpha, p.Beta);
            }
        }
    }

    // Blocked with the B slices taken from the pre-packed operand.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void BlockedPacked(in GemmProblem p, in GemmPackedPanels b)
    {
        int mr = GemmKernels.MR;
        int kcMax = Math.Min(KC, p.K);
        int mcMax = Math.Min(MC, RoundUp(p.M, mr));
        var scratch = GemmScratch.ForCurrentThread(mcMax * kcMax, 0);
        float* packedA = scratch.PackedA, edgeTile = scratch.EdgeTile;

        for (int jc = 0; jc < p.N; jc += NC)
        {
            int nc = Math.Min(NC, p.N - jc);
            for (int pc = 0; pc < p.K; pc += KC)
            {
                int kc = Math.Min(KC, p.K - pc);
                float beta = pc == 0 ? p.Beta : 1f;
                float* packedB = b.Slice(pc) + (nint)jc * kc;
                for (int ic = 0; ic < p.M; ic += MC)
                {
                    int mc = Math.Min(MC, p.M - ic);
                    GemmPacking.PackA(p.A, p.Lda, p.TransA, ic, mc, pc, kc, packedA, mr);
                    MacroKernel(mc, nc, kc, packedA, packedB, p.C + (nint)ic * p.Ldc + jc, p.Ldc, p.Alpha, beta, edgeTile, null, false);
                }
            }
        }
    }

    // C = beta·C when there is no product to add (k = 0 or alpha = 0); beta = 0 writes zeros.
    private static void ScaleC(in GemmProblem p)
    {
        for (int i = 0; i < p.M; i++)
        {
            var row = new Span<float>(p.C + (nint)i * p.Ldc, p.N);
            if (p.Beta == 0f) row.Clear();
            else if (p.Beta != 1f) TensorPrimitives.Multiply(row, p.Beta, row);
        }
    }

    // Tiny products: one k-ordered sum per element, no packing; four columns at a time so that four
    // independent sums hide the add latency.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Direct(in GemmProblem p)
    {
        nint aRow = p.TransA ? 1 : p.Lda, aStep = p.TransA ? p.Lda : 1;
        nint bCol = p.TransB ? p.Ldb : 1, bStep = p.TransB ? 1 : p.Ldb;
        for (int i = 0; i < p.M; i++)
        {
            float* ai = p.A + i * aRow;
            float* cRow = p.C + (nint)i * p.Ldc;
            int j = 0;
            for (; j + 4 <= p.N; j += 4)
            {
                float* b0 = p.B + j * bCol;
                float s0 = 0f, s1 = 0f, s2 = 0f, s3 = 0f;
                for (int q = 0; q < p.K; q++)
                {
                    float av = ai[q * aStep];
                    float* bq = b0 + q * bStep;
                    s0 += av * bq[0];
                    s1 += av * bq[bCol];
                    s2 += av * bq[2 * bCol];
                    s3 += av * bq[3 * bCol];
                }
                cRow[j] = GemmKernels.Update(s0, cRow[j], p.Alpha, p.Beta);
                cRow[j + 1] = GemmKernels.Update(s1, cRow[j + 1], p.Alpha, p.Beta);
                cRow[j + 2] = GemmKernels.Update(s2, cRow[j + 2], p.Alpha, p.Beta);
                cRow[j + 3] = GemmKernels.Update(s3, cRow[j + 3], p.Alpha, p.Beta);
            }
            for (; j < p.N; j++)
            {
                float* bj = p.B + j * bCol;
                float sum = 0f;
                for (int q = 0; q < p.K; q++) sum += ai[q * aStep] * bj[q * bStep];
                cRow[j] = GemmKernels.Update(sum, cRow[j], p.Alpha, p.Beta);
            }
        }
    }

    // For each block of at most ParallelMaxRows rows and each NC×KC slice: threads pack the block's rows of
    // op(A) and the slice of op(B) into shared buffers, then take MR/NR-aligned tiles of C from the pool one at a
    // time. Sharing the packed operands keeps packing work the same as on one thread, and many small tiles let
    // the calling thread finish the slice alone when the other workers are busy elsewhere (the machine is shared).
    private static void Parallel(ref GemmProblem p, int threads)
    {
        int mr = GemmKernels.MR, nr = GemmKernels.NR;
        int kcMax = Math.Min(KC, p.K), ncMax = Math.Min(NC, RoundUp(p.N, nr));
        var scratch = GemmScratch.ForCurrentThread(RoundUp(Math.Min(p.M, ParallelMaxRows), mr) * kcMax, ncMax * kcMax);
        p.PackedA = scratch.PackedA;
        p.PackedB = scratch.PackedB;
        p.PackColsB = 8 * nr;
        for (int ic = 0; ic < p.M; ic += ParallelMaxRows)
        {
            p.Ic = ic;
            p.Mc = Math.Min(ParallelMaxRows, p.M - ic);
            p.PackTasksA = CeilDiv(p.Mc, MC);
            p.TileRows = RoundUp(CeilDiv(p.Mc, p.PackTasksA), mr);
            int rowBlocks = CeilDiv(p.Mc, p.TileRows);
            for (int jc = 0; jc < p.N; jc += NC)
            {
                p.Jc = jc;
                p.Nc = Math.Min(NC, p.N - jc);
                int colBlocks = Math.Min(CeilDiv(TilesPerThread * threads, rowBlocks), CeilDiv(p.Nc, nr));
                p.TileCols = RoundUp(CeilDiv(p.Nc, colBlocks), nr);
                p.TilesAcross = CeilDiv(p.Nc, p.TileCols);
                int packTasks = p.PackTasksA + CeilDiv(p.Nc, p.PackColsB);
                for (int pc = 0; pc < p.K; pc += KC)
                {
                    p.Pc = pc;
                    p.Kc = Math.Min(KC, p.K - pc);
                    p.SliceBeta = pc == 0 ? p.Beta : 1f;
                    WorkerPool.ParallelFor(packTasks, threads, in p, &PackTask);
                    WorkerPool.ParallelFor(rowBlocks * p.TilesAcross, threads, in p, &TileTask);
                }
            }
        }
    }

    // Cuts C into blocks of whole rows (or, when C has too few rows, whole columns) for the threads to take one at a
    // time. Every block packs its own slices of both operands, so there is no barrier per k slice: on the long-k
    // products of backward (dW = dYᵀ·X over all B·T rows) those barriers, not the arithmetic, kept a second thread
    // from helping. Returns false when C cannot be cut into at least two blocks per thread, or when the operand
    // every block repacks is too large.
    private static bool Partitioned(ref GemmProblem p, int threads)
    {
        int wanted = PartitionsPerThread * threads;
        int rows = Math.Max(MinPartition, RoundUp(CeilDiv(p.M, wanted), GemmKernels.MR));
        int cols = Math.Max(MinPartition, RoundUp(CeilDiv(p.N, wanted), GemmKernels.NR));
        if (CeilDiv(p.M, rows) >= 2 * threads && (long)p.N * p.K <= MaxRepackedFloats)
        {
            p.PartRows = rows;
            WorkerPool.ParallelFor(CeilDiv(p.M, rows), threads, in p, &PartitionTask);
            return true;
        }
        if (CeilDiv(p.N, cols) >= 2 * threads && (long)p.M * p.K <= MaxRepackedFloats)
        {
            p.PartCols = cols;
            WorkerPool.ParallelFor(CeilDiv(p.N, cols), threads, in p, &PartitionTask);
            return true;
        }
        return false;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void PartitionTask(in GemmProblem p, int block)
    {
        GemmProblem part;
        if (p.PartRows > 0)
        {
            int i0 = block * p.PartRows;
            float* a = p.TransA ? p.A + i0 : p.A + (nint)i0 * p.Lda;
            part = new GemmProblem(p.TransA, p.TransB, Math.Min(p.PartRows, p.M - i0), p.N, p.K, p.Alpha, a, p.Lda, p.B, p.Ldb,
                p.Beta, p.C + (nint)i0 * p.Ldc, p.Ldc) { Bias = p.Bias, Relu = p.Relu };
        }
        else
        {
            int j0 = block * p.PartCols;
            float* b = p.TransB ? p.B + (nint)j0 * p.Ldb : p.B + j0;
            part = new GemmProblem(p.TransA, p.TransB, p.M, Math.Min(p.PartCols, p.N - j0), p.K, p.Alpha, p.A, p.Lda, b, p.Ldb,
                p.Beta, p.C + j0, p.Ldc) { Bias = p.Bias == null ? null : p.Bias + j0, Relu = p.Relu };
        }
        Blocked(in part);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void PackTask(in GemmProblem p, int task)
    {
        if (task < p.PackTasksA)
        {
            int i0 = task * MC;
            GemmPacking.PackA(p.A, p.Lda, p.TransA, p.Ic + i0, Math.Min(MC, p.Mc - i0), p.Pc, p.Kc, p.PackedA + (nint)i0 * p.Kc, GemmKernels.MR);
        }
        else
        {
            int j0 = (task - p.PackTasksA) * p.PackColsB;
            GemmPacking.PackB(p.B, p.Ldb, p.TransB, p.Pc, p.Kc, p.Jc + j0, Math.Min(p.PackColsB, p.Nc - j0), p.PackedB + (nint)j0 * p.Kc, GemmKernels.NR);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void TileTask(in GemmProblem p, int tile)
    {
        int i0 = tile / p.TilesAcross * p.TileRows, j0 = tile % p.TilesAcross * p.TileCols;
        float* edgeTile = GemmScratch.ForCurrentThread(0, 0).EdgeTile;
        bool last = p.Pc + p.Kc == p.K;
        MacroKernel(Math.Min(p.TileRows, p.Mc - i0), Math.Min(p.TileCols, p.Nc - j0), p.Kc,
            p.PackedA + (nint)i0 * p.Kc, p.PackedB + (nint)j0 * p.Kc, p.C + (nint)(p.Ic + i0) * p.Ldc + p.Jc + j0, p.Ldc,
            p.Alpha, p.SliceBeta, edgeTile, last && p.Bias != null ? p.Bias + p.Jc + j0 : null, last && p.Relu);
    }

    // Computes all of C on the calling thread.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Blocked(in GemmProblem p)
    {
        int mr = GemmKernels.MR, nr = GemmKernels.NR;
        int kcMax = Math.Min(KC, p.K);
        int ncMax = Math.Min(NC, RoundUp(p.N, nr));
        int mcMax = Math.Min(MC, RoundUp(p.M, mr));
        var scratch = GemmScratch.ForCurrentThread(mcMax * kcMax, ncMax * kcMax);
        float* packedA = scratch.PackedA, packedB = scratch.PackedB, edgeTile = scratch.EdgeTile;

        for (int jc = 0; jc < p.N; jc += NC)
        {
            int nc = Math.Min(NC, p.N - jc);
            for (int pc = 0; pc < p.K; pc += KC)
            {
                int kc = Math.Min(KC, p.K - pc);
                // Later k slices add onto the partial sums already in C.
                float beta = pc == 0 ? p.Beta : 1f;
                GemmPacking.PackB(p.B, p.Ldb, p.TransB, pc, kc, jc, nc, packedB, nr);
                // The epilogue (bias, rectifier) runs on each tile of the last k slice.
                bool last = pc + kc == p.K;
                float* bias = last && p.Bias != null ? p.Bias + jc : null;
                bool relu = last && p.Relu;
                for (int ic = 0; ic < p.M; ic += MC)
                {
                    int mc = Math.Min(MC, p.M - ic);
                    GemmPacking.PackA(p.A, p.Lda, p.TransA, ic, mc, pc, kc, packedA, mr);
                    MacroKernel(mc, nc, kc, packedA, packedB, p.C + (nint)ic * p.Ldc + jc, p.Ldc, p.Alpha, beta, edgeTile, bias, relu);
                }
            }
        }
    }

    // Shapes: packedA [ceil(mc/MR)] panels of [kc, MR], packedB [ceil(nc/NR)] panels of [kc, NR], c [mc, nc]
    // with row stride ldc.  Each NR panel of B stays hot in L1 while all MR panels of A stream past it.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    // bias (for C's columns [0, nc)) and relu: the epilogue, applied to each tile once it is computed; null and false
    // for none (and for every k slice but the last).
    private static void MacroKernel(int mc, int nc, int kc, float* packedA, float* packedB, float* c, int ldc,
        float alpha, float beta, float* edgeTile, float* bias, bool relu)
    {
        bool epilogue = bias != null || relu;
        int mr = GemmKernels.MR, nr = GemmKernels.NR;
        for (int jr = 0; jr < nc; jr += nr)
        {
            int width = Math.Min(nr, nc - jr);
            float* panelB = packedB + (nint)jr * kc;
            for (int ir = 0; ir < mc; ir += mr)
            {
                int height = Math.Min(mr, mc - ir);
                float* panelA = packedA + (nint)ir * kc;
                float* tile = c + (nint)ir * ldc + jr;
                if (height == mr && width == nr)
                    GemmKernels.Tile(kc, panelA, panelB, tile, ldc, alpha, beta);
                else
                    GemmKernels.EdgeTile(kc, panelA, panelB, edgeTile, tile, ldc, height, width, alpha, beta);
                if (epilogue)
                    Epilogue(tile, ldc, height, width, bias == null ? null : bias + jr, relu);
            }
        }
    }

    private static int CeilDiv(int value, int divisor) => (value + divisor - 1) / divisor;

    private static int RoundUp(int value, int multiple) => CeilDiv(value, multiple) * multiple;
}
