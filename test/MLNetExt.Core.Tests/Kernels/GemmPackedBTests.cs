using FluentAssertions;
using MLNetExt.Core.Kernels;
using MLNetExt.Core.Tests.Infrastructure;

namespace MLNetExt.Core.Tests.Kernels;

[Collection(EngineSettingsCollection.Name)]
public class GemmPackedBTests
{
    private const int Pad = 3;
    private const float CSentinel = 12345.5f;

    public static TheoryData<int, int, int> Shapes() => new()
    {
        { 1, 1, 1 }, { 2, 3, 2 }, { 3, 5, 7 }, { 8, 32, 17 }, { 6, 16, 19 }, { 13, 37, 53 }, { 33, 65, 31 },
        { 17, 33, Gemm.KC + 44 }, { 37, 41, 2 * Gemm.KC + 1 }, { Gemm.MC + 7, 70, 260 }, { 5, Gemm.NC + 40, 9 }, { 32, 512, 128 },
    };

    // Stored with row stride width + Pad; the padding is NaN so a kernel reading it poisons C.
    private static (float[] Stored, int Ld) Store(float[] logical, int rows, int cols, bool transpose)
    {
        int storedRows = transpose ? cols : rows, storedCols = transpose ? rows : cols, ld = storedCols + Pad;
        var stored = new float[storedRows * ld - Pad];
        Array.Fill(stored, float.NaN);
        for (int r = 0; r < rows; r++)
            for (int c = 0; c < cols; c++)
                stored[transpose ? c * ld + r : r * ld + c] = logical[r * cols + c];
        return (stored, ld);
    }

    private static float[] InitialC(int m, int n, int ldc)
    {
        var c = new float[m * ldc];
        Array.Fill(c, CSentinel);
        var random = new RandomSource(77);
        for (int i = 0; i < m; i++)
            for (int j = 0; j < n; j++)
                c[i * ldc + j] = random.NextUniform(-1f, 1f);
        return c;
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void Packed_product_matches_the_scalar_reference_and_Sgemm_bitwise(int m, int n, int k)
    {
        var random = new RandomSource((ulong)(m * 7919 + n * 31 + k));
        var opA = new float[m * k];
        var opB = new float[k * n];
        random.FillUniform(opA, -1f, 1f);
        random.FillUniform(opB, -1f, 1f);
        int ldc = n + Pad;
        var packed = new GemmPackedB();
        foreach (bool transB in new[] { false, true })
        {
            var (b, ldb) = Store(opB, k, n, transB);
            packed.Pack(transB, k, n, b, ldb);
            foreach (bool transA in new[] { false, true })
            {
                var (a, lda) = Store(opA, m, k, transA);
                foreach (float alpha in new[] { 1f, -0.5f })
                    foreach (float beta in new[] { 0f, 1f, 0.3f })
                    {
                        string what = $"{m}×{n}×{k} transA={transA} transB={transB} alpha={alpha} beta={beta}";
                        var initial = InitialC(m, n, ldc);
                        var expected = (float[])initial.Clone();
                        Gemm.Sgemm(transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, expected, ldc);
                        var actual = (float[])initial.Clone();
                        Gemm.SgemmPacked(transA, m, alpha, a, lda, packed.Panels, beta, actual, ldc);
                        for (int i = 0; i < m; i++)
                            for (int j = 0; j < ldc; j++)
                            {
                                float got = actual[i * ldc + j];
                                if (j >= n)
                                {
                                    got.Should().Be(CSentinel, $"{what}: C[{i},{j}] lies past the row end");
                                    continue;
                                }
                                double sum = 0, magnitude = 0;
                                for (int p = 0; p < k; p++)
                                {
                                    double term = (double)opA[i * k + p] * opB[p * n + j];
                                    sum += term;
                                    magnitude += Math.Abs(term);
                                }
                                double old = beta == 0f ? 0.0 : initial[i * ldc + j];
                                double reference = alpha * sum + beta * old;
                                double tolerance = 1e-6 + 4e-7 * (k + 4) * (Math.Abs(alpha) * magnitude + Math.Abs(beta * old));
                                Math.Abs(got - reference).Should().BeLessThanOrEqualTo(tolerance, $"{what}: C[{i},{j}] against the reference");
                                BitConverter.SingleToInt32Bits(got).Should().Be(BitConverter.SingleToInt32Bits(expected[i * ldc + j]), $"{what}: C[{i},{j}] against Sgemm");
                            }
                    }
            }
        }
    }

    [Fact]
    public void Repacking_and_steady_state_products_do_not_allocate()
    {
        const int m = 32, n = 512, k = 128;
        var a = new float[m * k];
        var b = new float[n * k];
        var c = new float[m * n];
        new RandomSource(2).FillUniform(a, -1f, 1f);
        new RandomSource(3).FillUniform(b, -1f, 1f);
        var packed = new GemmPackedB();
        packed.Pack(true, k, n, b, k);
        Gemm.SgemmPacked(false, m, 1f, a, k, packed.Panels, 0f, c, n);
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 5; i++)
        {
            packed.Pack(true, k, n, b, k);
            Gemm.SgemmPacked(false, m, 1f, a, k, packed.Panels, 1f, c, n);
        }
        (GC.GetAllocatedBytesForCurrentThread() - before).Should().Be(0);
    }

    [Fact]
    public void Bad_arguments_throw_with_the_parameter_name()
    {
        var packed = new GemmPackedB();
        packed.Invoking(p => p.Pack(false, -1, 2, new float[4], 2)).Should().Throw<ArgumentOutOfRangeException>().WithParameterName("k");
        packed.Invoking(p => p.Pack(false, 2, 3, new float[6], 2)).Should().Throw<ArgumentOutOfRangeException>().WithParameterName("ldb");
        packed.Invoking(p => p.Pack(false, 2, 3, new float[5], 3)).Should().Throw<ArgumentException>().WithParameterName("b");
        packed.Pack(false, 2, 3, new float[6], 3);
        FluentActions.Invoking(() => Gemm.SgemmPacked(false, 2, 1f, new float[3], 2, packed.Panels, 0f, new float[6], 3))
            .Should().Throw<ArgumentException>().WithParameterName("a");
        FluentActions.Invoking(() => Gemm.SgemmPacked(false, 2, 1f, new float[4], 2, packed.Panels, 0f, new float[6], 2))
            .Should().Throw<ArgumentOutOfRangeException>().WithParameterName("ldc");
    }
}
