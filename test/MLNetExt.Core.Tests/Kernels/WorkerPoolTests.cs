using FluentAssertions;
using MLNetExt.Core.Threading;

namespace MLNetExt.Core.Tests.Kernels;

public unsafe class WorkerPoolTests
{
    private struct Counters
    {
        public int* Hits;
        public int ThrowAt;
    }

    private static void Hit(in Counters state, int index)
    {
        if (index == state.ThrowAt) throw new InvalidOperationException($"index {index}");
        Interlocked.Increment(ref state.Hits[index]);
    }

    private static void NestedHit(in Counters state, int index)
    {
        var inner = new Counters { Hits = state.Hits + index * 4, ThrowAt = -1 };
        WorkerPool.ParallelFor(4, 2, in inner, &Hit);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(1000)]
    public void Every_index_runs_exactly_once(int count)
    {
        var hits = new int[Math.Max(count, 1)];
        fixed (int* p = hits)
        {
            var state = new Counters { Hits = p, ThrowAt = -1 };
            for (int round = 0; round < 20; round++) WorkerPool.ParallelFor(count, 2, in state, &Hit);
        }
        hits.Should().Equal(count == 0 ? [0] : Enumerable.Repeat(20, count));
    }

    [Fact]
    public void A_body_exception_reaches_the_caller_after_the_other_indices_ran()
    {
        var hits = new int[64];
        fixed (int* p = hits)
        {
            var state = new Counters { Hits = p, ThrowAt = 17 };
            var run = () => WorkerPool.ParallelFor(64, 2, in state, &Hit);
            run.Should().Throw<InvalidOperationException>().WithMessage("index 17");
        }
        hits.Where((_, i) => i != 17).Should().OnlyContain(h => h == 1);
        var after = new int[8];
        fixed (int* p = after)
        {
            var state = new Counters { Hits = p, ThrowAt = -1 };
            WorkerPool.ParallelFor(8, 2, in state, &Hit);
        }
        after.Should().OnlyContain(h => h == 1);
    }

    [Fact]
    public void Nested_calls_run_inline()
    {
        var hits = new int[16 * 4];
        fixed (int* p = hits)
        {
            var state = new Counters { Hits = p, ThrowAt = -1 };
            WorkerPool.ParallelFor(16, 2, in state, &NestedHit);
        }
        hits.Should().OnlyContain(h => h == 1);
    }

    [Fact]
    public void Bad_arguments_throw()
    {
        var state = new Counters { ThrowAt = -1 };
        var negative = () => WorkerPool.ParallelFor(-1, 2, in state, &Hit);
        negative.Should().Throw<ArgumentOutOfRangeException>().WithParameterName("count");
        var noThreads = () => WorkerPool.ParallelFor(1, 0, in state, &Hit);
        noThreads.Should().Throw<ArgumentOutOfRangeException>().WithParameterName("maxThreads");
    }
}
