using BenchmarkDotNet.Attributes;
using MLNetExt.Core;
using MLNetExt.Core.Kernels;

namespace MLNetExt.Bench.Benchmarks;

/// <summary>
/// SGEMM latency across the shapes the engine uses: square products, and the 64-row products of an RNN step
/// (C[64, 512] = X[64, 128]·W[512, 128]ᵀ).
/// </summary>
[MemoryDiagnoser]
public class GemmBenchmarks
{
    private float[] _a = [], _b = [], _c = [];

    [Params(64, 512, 1024)]
    public int N { get; set; }

    [Params(1, 2)]
    public int Threads { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        Engine.ThreadCount = Threads;
        var random = new RandomSource(0);
        _a = new float[N * N];
        _b = new float[N * N];
        _c = new float[N * N];
        random.FillUniform(_a, 0f, 1f);
        random.FillUniform(_b, 0f, 1f);
    }

    [Benchmark]
    public void SquareNN() => Gemm.Sgemm(false, false, N, N, N, 1f, _a, N, _b, N, 0f, _c, N);

    [Benchmark]
    public void SquareNT() => Gemm.Sgemm(false, true, N, N, N, 1f, _a, N, _b, N, 0f, _c, N);

    [Benchmark]
    public void RnnStep64() => Gemm.Sgemm(false, true, 64, Math.Min(N, 512), Math.Min(N, 128), 1f, _a, Math.Min(N, 128), _b, Math.Min(N, 128), 1f, _c, Math.Min(N, 512));
}
