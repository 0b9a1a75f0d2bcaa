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

    public static void For<TJob>(int workers, int count, TJob job) where TJob : struct, IBatchJob
    {
        if (workers <= 1)
        {
            job.Run(0, 0, count);
            return;
        }
        RunParallel(workers, count, job);
    }

    // Kept apart so that the closure it allocates is only created when threads are actually used.
    private static void RunParallel<TJob>(int workers, int count, TJob job) where TJob : struct, IBatchJob
        => Parallel.For(0, workers, new ParallelOptions { MaxDegreeOfParallelism = workers },
            worker => job.Run(worker, (int)((long)count * worker / workers), (int)((long)count * (worker + 1) / workers)));
}
