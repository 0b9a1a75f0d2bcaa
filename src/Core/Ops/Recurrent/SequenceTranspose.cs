using System.Numerics.Tensors;
using MLNetExt.Core.Threading;

namespace MLNetExt.Core.Ops.Recurrent;

/// <summary>
/// Moves a sequence batch between batch-major [B, T, W] and time-major [T, B, W] storage, copying or adding rows of
/// W floats. Large batches are shared among the engine's threads, one destination block (a step's rows, or a
/// sequence's) per hand-out, so every destination row is written by one thread and the result does not depend on
/// the thread count.
/// </summary>
internal static unsafe class SequenceTranspose
{
    // Below this many floats one thread copies the whole batch: a hand-out would cost more than it saves.
    private const long ParallelMinFloats = 64 * 1024;

    /// <summary>Shapes: source [B, T, W] → destination [T, B, W] (overwritten).</summary>
    public static void ToTimeMajor(ReadOnlySpan<float> source, Span<float> destination, int batch, int steps, int width)
    {
        fixed (float* from = source, to = destination)
        {
            var job = new Job(from, to, batch, steps, width, accumulate: false);
            Run(in job, steps, &StepRows);
        }
    }

    /// <summary>Shapes: source [T, B, W] → destination [B, T, W], overwritten, or added to when accumulating a gradient.</summary>
    public static void ToBatchMajor(ReadOnlySpan<float> source, Span<float> destination, int batch, int steps, int width, bool accumulate)
    {
        fixed (float* from = source, to = destination)
        {
            var job = new Job(from, to, batch, steps, width, accumulate);
            Run(in job, batch, &SequenceRows);
        }
    }

    private static void Run(in Job job, int blocks, delegate*<in Job, int, void> body)
    {
        if ((long)job.Batch * job.Steps * job.Width < ParallelMinFloats) WorkerPool.ParallelFor(blocks, 1, in job, body);
        else WorkerPool.ParallelFor(blocks, in job, body);
    }

    // Destination block: step t's B rows of the time-major tensor.
    private static void StepRows(in Job job, int t)
    {
        for (int b = 0; b < job.Batch; b++)
            Move(in job, job.Source + ((long)b * job.Steps + t) * job.Width, job.Destination + ((long)t * job.Batch + b) * job.Width);
    }

    // Destination block: sequence b's T rows of the batch-major tensor.
    private static void SequenceRows(in Job job, int b)
    {
        for (int t = 0; t < job.Steps; t++)
            Move(in job, job.Source + ((long)t * job.Batch + b) * job.Width, job.Destination + ((long)b * job.Steps + t) * job.Width);
    }

    private static void Move(in Job job, float* from, float* to)
    {
        var source = new ReadOnlySpan<float>(from, job.Width);
        var destination = new Span<float>(to, job.Width);
        if (job.Accumulate) TensorPrimitives.Add(destination, source, destination);
        else source.CopyTo(destination);
    }

    private readonly struct Job(float* source, float* destination, int batch, int steps, int width, bool accumulate)
    {
        public readonly float* Source = source, Destination = destination;
        public readonly int Batch = batch, Steps = steps, Width = width;
        public readonly bool Accumulate = accumulate;
    }
}
