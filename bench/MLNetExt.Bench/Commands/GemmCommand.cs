using System.Diagnostics;
using System.Globalization;
using MLNetExt.Core;
using MLNetExt.Core.Kernels;

namespace MLNetExt.Bench.Commands;

/// <summary>
/// SGEMM throughput of C = A·B on n×n matrices, measured exactly as the anchor <c>shared/anchors/gemm.py</c>
/// measures NumPy on OpenBLAS: one warm-up product, then the best of 3 timings of reps = max(3, 3e10 / 2n³)
/// back-to-back products. Prints <c>gemm n=&lt;n&gt; threads=&lt;t&gt; gflops=&lt;x&gt;</c> per size.
/// </summary>
internal sealed class GemmCommand : IBenchCommand
{
    public string Name => "gemm";

    public string Usage => "gemm [--threads T] [--sizes 128,256,512,1024,2048] [--trans NN|NT|TN|TT]   prints: gemm n=<n> threads=<t> gflops=<x>";

    public int Run(string[] args)
    {
        int threads = CommandLine.IntOption(args, "--threads", 1);
        int[] sizes = CommandLine.IntListOption(args, "--sizes", "128,256,512,1024,2048");
        string trans = CommandLine.Option(args, "--trans", "NN");
        if (trans is not ("NN" or "NT" or "TN" or "TT")) throw new ArgumentException("--trans must be NN, NT, TN or TT.", nameof(args));
        bool transA = trans[0] == 'T', transB = trans[1] == 'T';
        Engine.ThreadCount = threads;
        Console.Error.WriteLine($"# micro-kernel {GemmKernels.Kind} {GemmKernels.MR}x{GemmKernels.NR}");
        var random = new RandomSource(0);
        foreach (int n in sizes)
        {
            var a = new float[n * n];
            var b = new float[n * n];
            var c = new float[n * n];
            random.FillUniform(a, 0f, 1f);
            random.FillUniform(b, 0f, 1f);
            Gemm.Sgemm(transA, transB, n, n, n, 1f, a, n, b, n, 0f, c, n);
            double flops = 2.0 * n * n * n;
            int reps = Math.Max(3, (int)(3e10 / flops));
            double best = double.PositiveInfinity;
            for (int round = 0; round < 3; round++)
            {
                long start = Stopwatch.GetTimestamp();
                for (int rep = 0; rep < reps; rep++) Gemm.Sgemm(transA, transB, n, n, n, 1f, a, n, b, n, 0f, c, n);
                best = Math.Min(best, Stopwatch.GetElapsedTime(start).TotalSeconds / reps);
            }
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"gemm n={n} threads={threads} gflops={flops / best / 1e9:F1}"));
        }
        return 0;
    }
}
