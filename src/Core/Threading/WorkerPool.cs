using System.Diagnostics;
using System.Runtime.ExceptionServices;

namespace MLNetExt.Core.Threading;

/// <summary>
/// A process-wide pool of persistent worker threads for data-parallel kernels. <c>ParallelFor</c>
/// runs <c>body(state, i)</c> for every i in [0, count) on up to <see cref="Engine.ThreadCount"/> threads, the
/// calling thread included, and returns when all are done. Indices are handed out dynamically, so a body must
/// give the same result whichever thread runs it (kernels make every output element the work of one index).
/// </summary>
/// <remarks>
/// Steady state allocates nothing: the state is copied onto the caller's stack and reached through a pointer,
/// and the body is a static function pointer. Idle workers spin briefly (so back-to-back kernels, such as the
/// GEMMs of an RNN step, find them awake) and then sleep. One job runs at a time: a call made while another
/// thread's job is running, or from inside a body, runs its loop on the calling thread.
/// <para>Usage: pin the spans, put the pointers and sizes in an unmanaged struct, and pass a static method:
/// <c>WorkerPool.ParallelFor(rows, in state, &amp;Row)</c> with <c>static void Row(in RowState s, int row)</c>.</para>
/// </remarks>
public static unsafe class WorkerPool
{
    // The job word: generation (high 32 bits) | open flag (bit 31) | workers inside the job (low 31 bits).
    // Workers enter only an open job with a compare-and-swap, and the caller closes the job only when no worker
    // is inside, so the job fields below never change under a worker's feet.
    private const long OpenBit = 1L << 31;
    private static readonly long s_spinTicks = Stopwatch.Frequency / 10_000;

    private static readonly object s_gate = new();
    private static WorkerSlot[] s_workers = [];
    private static long s_jobWord;

    private static delegate*<void*, void*, int, void> s_invoke;
    private static void* s_body;
    private static void* s_state;
    private static int s_count;
    private static int s_workersWanted;
    private static int s_next;
    private static int s_completed;
    private static Exception? s_error;

    [ThreadStatic] private static bool t_insideJob;

    /// <summary>
    /// Runs <paramref name="body"/>(<paramref name="state"/>, i) for i in [0, <paramref name="count"/>) on up to
    /// <see cref="Engine.ThreadCount"/> threads. The first exception thrown by a body is rethrown here after all
    /// indices have run.
    /// </summary>
    /// <typeparam name="TState">Plain data the body needs (pointers, sizes); it is copied once per call.</typeparam>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="count"/> is negative.</exception>
    /// <exception cref="ArgumentNullException"><paramref name="body"/> is null.</exception>
    public static void ParallelFor<TState>(int count, in TState state, delegate*<in TState, int, void> body)
        where TState : unmanaged
        => ParallelFor(count, Engine.ThreadCount, in state, body);

    /// <summary>
    /// Runs <paramref name="body"/>(<paramref name="state"/>, i) for i in [0, <paramref name="count"/>) on at most
    /// <paramref name="maxThreads"/> threads, the calling thread included.
    /// </summary>
    /// <typeparam name="TState">Plain data the body needs (pointers, sizes); it is copied once per call.</typeparam>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="count"/> is negative or <paramref name="maxThreads"/> is less than 1.</exception>
    /// <exception cref="ArgumentNullException"><paramref name="body"/> is null.</exception>
    public static void ParallelFor<TState>(int count, int maxThreads, in TState state, delegate*<in TState, int, void> body)
        where TState : unmanaged
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxThreads, 1);
        if (body == null) throw new ArgumentNullException(nameof(body), "A static function pointer is required.");

        int threads = Math.Min(maxThreads, count);
        if (threads <= 1 || t_insideJob || !Monitor.TryEnter(s_gate))
        {
            RunInline(count, in state, body);
            return;
        }
        try
        {
            TState copy = state;
            EnsureWorkers(threads - 1);
            s_invoke = &Invoke<TState>;
            s_body = body;
            s_state = &copy;
            s_count = count;
            s_workersWanted = threads - 1;
            s_next = 0;
            s_completed = 0;
            s_error = null;
            long generation = (s_jobWord >> 32) + 1;
            Interlocked.Exchange(ref s_jobWord, (generation << 32) | OpenBit);
            foreach (var worker in s_workers) worker.WakeIfSleeping();

            t_insideJob = true;
            RunItems();
            t_insideJob = false;

            var wait = default(SpinWait);
            while (Volatile.Read(ref s_completed) < count) wait.SpinOnce(sleep1Threshold: -1);
            long open = (generation << 32) | OpenBit, closed = generation << 32;
            while (Interlocked.CompareExchange(ref s_jobWord, closed, open) != open) wait.SpinOnce(sleep1Threshold: -1);

            if (s_error is { } error)
            {
                s_error = null;
                ExceptionDispatchInfo.Throw(error);
            }
        }
        finally
        {
            t_insideJob = false;
            Monitor.Exit(s_gate);
        }
    }

    // Same contract as the pooled path: every index runs, then the first exception is rethrown.
    private static void RunInline<TState>(int count, in TState state, delegate*<in TState, int, void> body)
        where TState : unmanaged
    {
        Exception? first = null;
        for (int i = 0; i < count; i++)
        {
            try
            {
                body(in state, i);
            }
            catch (Exception e)
            {
                first ??= e;
            }
        }
        if (first is not null) ExceptionDispatchInfo.Throw(first);
    }

    private static void Invoke<TState>(void* body, void* state, int index) where TState : unmanaged
        => ((delegate*<in TState, int, void>)body)(in *(TState*)state, index);

    private static void RunItems()
    {
        int count = s_count;
        while (true)
        {
            int index = Interlocked.Increment(ref s_next) - 1;
            if (index >= count) return;
            try
            {
                s_invoke(s_body, s_state, index);
            }
            catch (Exception e)
            {
                Interlocked.CompareExchange(ref s_error, e, null);
            }
            Interlocked.Increment(ref s_completed);
        }
    }

    private static void EnsureWorkers(int needed)
    {
        if (s_workers.Length >= needed) return;
        var workers = new WorkerSlot[needed];
        Array.Copy(s_workers, workers, s_workers.Length);
        for (int id = s_workers.Length; id < needed; id++)
        {
            workers[id] = new WorkerSlot(id);
            new Thread(WorkerMain) { IsBackground = true, Name = $"MLNetExt worker {id + 1}" }.Start(workers[id]);
        }
        s_workers = workers;
    }

    private static void WorkerMain(object? slotObject)
    {
        var slot = (WorkerSlot)slotObject!;
        int id = slot.Id;
        t_insideJob = true;
        long seen = Volatile.Read(ref s_jobWord) >> 32;
        while (true)
        {
            long word = Volatile.Read(ref s_jobWord);
            long generation = word >> 32;
            if (generation == seen)
            {
                WaitForNextGeneration(slot, seen);
                continue;
            }
            if ((word & OpenBit) == 0)
            {
                seen = generation;
                continue;
            }
            if (Interlocked.CompareExchange(ref s_jobWord, word + 1, word) != word) continue;
            seen = generation;
            if (id < s_workersWanted) RunItems();
            Interlocked.Decrement(ref s_jobWord);
        }
    }

    private static void WaitForNextGeneration(WorkerSlot slot, long seen)
    {
        long deadline = Stopwatch.GetTimestamp() + s_spinTicks;
        // Poll without PAUSE: under a hypervisor, pause loops trigger pause-loop exits that deschedule the
        // spinning virtual CPU and add microseconds to every wake-up.
        while (Stopwatch.GetTimestamp() < deadline)
        {
            for (int poll = 0; poll < 64; poll++)
                if (Volatile.Read(ref s_jobWord) >> 32 != seen) return;
        }
        slot.Sleep(seen);
    }

    /// <summary>
    /// A worker's sleep state. Sleeping and waking meet through one flag with full fences on both sides (the worker
    /// raises it, then reads the job word; the caller publishes the job word, then takes the flag down), so exactly
    /// one side lowers the flag and a wake-up is never lost or doubled. SemaphoreSlim rather than Monitor.Wait,
    /// because Monitor.Wait allocates now and then and a training step must allocate nothing.
    /// </summary>
    private sealed class WorkerSlot(int id)
    {
        private readonly SemaphoreSlim _wake = new(0);
        private int _sleeping;

        public int Id { get; } = id;

        public void Sleep(long seenGeneration)
        {
            Interlocked.Exchange(ref _sleeping, 1);
            if (Volatile.Read(ref s_jobWord) >> 32 != seenGeneration && Interlocked.Exchange(ref _sleeping, 0) == 1)
                return;
            // Either no job arrived yet, or the caller already lowered the flag and owes (or gave) exactly one release.
            _wake.Wait();
        }

        public void WakeIfSleeping()
        {
            if (Interlocked.Exchange(ref _sleeping, 0) == 1) _wake.Release();
        }
    }
}
