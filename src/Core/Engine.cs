namespace MLNetExt.Core;

/// <summary>Process-wide engine settings.</summary>
public static class Engine
{
    private static int s_threadCount = Environment.ProcessorCount;

    /// <summary>
    /// The number of threads kernels may use (GEMM tiles, batch rows). Defaults to the processor count; 1 runs
    /// everything on the calling thread. Results are deterministic for a given seed and thread count.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is less than 1.</exception>
    public static int ThreadCount
    {
        get => s_threadCount;
        set
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(value, 1, nameof(ThreadCount));
            s_threadCount = value;
        }
    }
}
