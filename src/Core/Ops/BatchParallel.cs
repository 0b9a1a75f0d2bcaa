using System.Runtime.CompilerServices;
using MLNetExt.Core.Threading;

namespace MLNetExt.Core.Ops;

/// <summary>A unit of batch work: processes images [start, end) using the scratch space of <c>worker</c>.</summary>
internal interface IBatchJob
{
    void Run(int worker, int start, int end);
}

/// <summary>
/// Splits a batch into contiguous, equally sized chunks, one per worker, so every image is always processed by the
/// same worker for a given thread count (deterministic results).
/// </summary>
internal static class BatchParallel
{
    // Below this many multiply-adds per image the hand-off to another thread costs more than it saves.
    private const long MinimumWorkPerImage = 4096;

    public static int WorkerCount(int batch, long workPerImage)
        => workPerImage < MinimumWorkPerImage ? 1 : Math.Max(1, Math.Min(Engine.ThreadCount, batch));

    public static unsafe void For<TJob>(int workers, int count, TJob job) where TJob : struct, IBatchJob
    {
        if (workers <= 1)
        {
            job.Run(0, 0, count);
            return;
        }
        // The job (which holds array references) stays in this frame; workers reach it through a pointer, which is
        // safe because ParallelFor returns only after every chunk has run.
        var chunks = new Chunks { Job = Unsafe.AsPointer(ref job), Workers = workers, Count = count };
        WorkerPool.ParallelFor(workers, workers, in chunks, &RunChunk<TJob>);
    }

    private static unsafe void RunChunk<TJob>(in Chunks chunks, int worker) where TJob : struct, IBatchJob
        => Unsafe.AsRef<TJob>(chunks.Job).Run(worker,
            (int)((long)chunks.Count * worker / chunks.Workers), (int)((long)chunks.Count * (worker + 1) / chunks.Workers));

    private unsafe struct Chunks
    {
        public void* Job;
        public int Workers;
        public int Count;
    }
}
