using System.Runtime.Intrinsics;
using FluentAssertions;
using MLNetExt.Core.Autograd;
using MLNetExt.Core.Modules;
using MLNetExt.Core.Ops;
using MLNetExt.Core.Tests.Infrastructure;
using static MLNetExt.Core.Tests.Attention.AttentionTesting;

namespace MLNetExt.Core.Tests.Attention;

/// <summary>
/// The layer-norm kernel the transformer layers lean on: every row width through the vector tails, the blocked and
/// parallel paths against a double-precision reference, and the same bits on any thread count.
/// </summary>
[Collection(EngineSettingsCollection.Name)]
public class LayerNormKernelTests
{
    [Fact]
    public void Every_row_width_matches_a_double_precision_reference()
    {
        for (int dim = 1; dim <= 2 * Vector512<float>.Count + 3; dim++)
            CheckAgainstReference(rows: 3, dim, seed: (ulong)dim);
    }

    [Fact]
    public void Many_rows_in_parallel_blocks_match_the_reference()
    {
        CheckAgainstReference(rows: 1100, dim: 40, seed: 99);
    }

    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    public void Results_are_bitwise_the_same_on_any_thread_count(int threads)
    {
        var one = Run(1);
        var many = Run(threads);
        for (int i = 0; i < one.Length; i++) many[i].Should().Equal(one[i]);
    }

    private static float[][] Run(int threads)
    {
        int saved = Engine.ThreadCount;
        Engine.ThreadCount = threads;
        try
        {
            var norm = new LayerNorm(64);
            Random(1, 64).Span.CopyTo(norm.Weight!.Span);
            Random(2, 64).Span.CopyTo(norm.Bias!.Span);
            var x = RequiringGrad(Random(3, 1000, 64));
            var tape = new Tape();
            var y = norm.Forward(x, tape);
            tape.Backward(TensorOps.Sum(TensorOps.Multiply(y, Random(4, 1000, 64), tape), tape));
            return [y.Span.ToArray(), x.Grad!.Span.ToArray(), norm.Weight.Grad!.Span.ToArray(), norm.Bias.Grad!.Span.ToArray()];
        }
        finally
        {
            Engine.ThreadCount = saved;
        }
    }

    private static void CheckAgainstReference(int rows, int dim, ulong seed)
    {
        var norm = new LayerNorm(dim, eps: 1e-5f);
        Random(seed + 1, dim).Span.CopyTo(norm.Weight!.Span);
        Random(seed + 2, dim).Span.CopyTo(norm.Bias!.Span);
        var x = RequiringGrad(Random(seed + 3, rows, dim));
        for (int i = 0; i < x.Length; i++) x.Span[i] = x.Span[i] * 3f + 5f;  // an offset the variance must not lose
        var dy = Random(seed + 4, rows, dim);
        var tape = new Tape();
        var y = norm.Forward(x, tape);
        tape.Backward(TensorOps.Sum(TensorOps.Multiply(y, dy, tape), tape));

        var gamma = norm.Weight.Span.ToArray();
        var expectedY = new float[x.Length];
        var expectedDx = new float[x.Length];
        var expectedDGamma = new double[dim];
        var expectedDBeta = new double[dim];
        for (int r = 0; r < rows; r++)
        {
            var row = x.Span.Slice(r * dim, dim).ToArray().Select(v => (double)v).ToArray();
            double mean = row.Average(), invStd = 1.0 / Math.Sqrt(row.Select(v => (v - mean) * (v - mean)).Average() + 1e-5);
            var xHat = row.Select(v => (v - mean) * invStd).ToArray();
            var g = Enumerable.Range(0, dim).Select(i => (double)dy.Span[r * dim + i] * gamma[i]).ToArray();
            double meanG = g.Average(), meanGX = Enumerable.Range(0, dim).Select(i => g[i] * xHat[i]).Average();
            for (int i = 0; i < dim; i++)
            {
                expectedY[r * dim + i] = (float)(xHat[i] * gamma[i] + norm.Bias.Span[i]);
                expectedDx[r * dim + i] = (float)(invStd * (g[i] - meanG - xHat[i] * meanGX));
                expectedDGamma[i] += dy.Span[r * dim + i] * xHat[i];
                expectedDBeta[i] += dy.Span[r * dim + i];
            }
        }
        TensorAssert.Close(y.Span, expectedY, rtol: 1e-5, atol: 1e-5, what: $"y (D = {dim})");
        TensorAssert.Close(x.Grad!.Span, expectedDx, rtol: 1e-4, atol: 1e-5, what: $"dx (D = {dim})");
        TensorAssert.Close(norm.Weight.Grad!.Span, expectedDGamma.Select(v => (float)v).ToArray(), rtol: 1e-4, atol: 1e-4, what: $"dγ (D = {dim})");
        TensorAssert.Close(norm.Bias.Grad!.Span, expectedDBeta.Select(v => (float)v).ToArray(), rtol: 1e-4, atol: 1e-4, what: $"dβ (D = {dim})");
    }
}
