using System.Runtime.Intrinsics;
using FluentAssertions;
using MLNetExt.Core.Kernels;
using MLNetExt.Core.Tests.Infrastructure;

namespace MLNetExt.Core.Tests.Kernels;

[Collection(EngineSettingsCollection.Name)]
public class GemmTests
{
    // Padding of the stored matrices beyond their logical width: NaN in A and B (a kernel that reads it poisons
    // C), a sentinel in C (a kernel that writes it is caught).
    private const int Pad = 3;
    private const float CSentinel = 12345.5f;

    // op(A) is m×k and op(B) is k×n, kept logically and stored per transpose flag with row stride width + Pad.
    private sealed class Operands
    {
        public readonly int M, N, K;
        public readonly float[] OpA, OpB;
        public readonly double[] Product, AbsProduct;

        public Operands(int m, int n, int k, ulong seed)
        {
            (M, N, K) = (m, n, k);
            var random = new RandomSource(seed);
            OpA = new float[m * k];
            OpB = new float[k * n];
            random.FillUniform(OpA, -1f, 1f);
            random.FillUniform(OpB, -1f, 1f);
            Product = new double[m * n];
            AbsProduct = new double[m * n];
            for (int i = 0; i < m; i++)
                for (int p = 0; p < k; p++)
                {
                    double av = OpA[i * k + p];
                    for (int j = 0; j < n; j++)
                    {
                        double term = av * OpB[p * n + j];
                        Product[i * n + j] += term;
                        AbsProduct[i * n + j] += Math.Abs(term);
                    }
                }
        }

        public static (float[] Stored, int Ld) Store(float[] logical, int rows, int cols, bool transpose)
        {
            int storedRows = transpose ? cols : rows, storedCols = transpose ? rows : cols, ld = storedCols + Pad;
            var stored = new float[Math.Max(0, storedRows * ld - Pad)];
            Array.Fill(stored, float.NaN);
            for (int r = 0; r < rows; r++)
                for (int c = 0; c < cols; c++)
                    stored[transpose ? c * ld + r : r * ld + c] = logical[r * cols + c];
            return (stored, ld);
        }
    }

    private static float[] InitialC(int m, int n, int ldc, ulong seed, bool nan)
    {
        var c = new float[m * ldc];
        Array.Fill(c, CSentinel);
        var random = new RandomSource(seed);
        for (int i = 0; i < m; i++)
            for (int j = 0; j < n; j++)
                c[i * ldc + j] = nan ? float.NaN : random.NextUniform(-1f, 1f);
        return c;
    }

    private static float[] Run(Operands o, bool transA, bool transB, float alpha, float beta, float[] c, int ldc)
    {
        var (a, lda) = Operands.Store(o.OpA, o.M, o.K, transA);
        var (b, ldb) = Operands.Store(o.OpB, o.K, o.N, transB);
        Gemm.Sgemm(transA, transB, o.M, o.N, o.K, alpha, a, lda, b, ldb, beta, c, ldc);
        return c;
    }

    private static void AssertMatches(Operands o, float[] initialC, float[] actual, int ldc, float alpha, float beta, string what)
    {
        for (int i = 0; i < o.M; i++)
        {
            for (int j = 0; j < ldc; j++)
            {
                float got = actual[i * ldc + j];
                if (j >= o.N)
                {
                    if (got != CSentinel) throw new Xunit.Sdk.XunitException($"{what}: C[{i},{j}] past the row end was written ({got}).");
                    continue;
                }
                double old = beta == 0f ? 0.0 : initialC[i * ldc + j];
                double expected = alpha * o.Product[i * o.N + j] + beta * old;
                double tolerance = 1e-6 + 4e-7 * (o.K + 4) * (Math.Abs(alpha) * o.AbsProduct[i * o.N + j] + Math.Abs(beta * old));
                if (!(Math.Abs(got - expected) <= tolerance))
                    throw new Xunit.Sdk.XunitException($"{what}: C[{i},{j}] is {got:G9} but expected {expected:G9} (tolerance {tolerance:G3}).");
            }
        }
    }

    private static readonly int V256 = Vector256<float>.Count, V512 = Vector512<float>.Count;

    public static TheoryData<int, int, int> Shapes()
    {
        var data = new TheoryData<int, int, int>
        {
            { 0, 5, 3 }, { 5, 0, 3 }, { 4, 5, 0 }, { 1, 1, 1 }, { 2, 3, 2 }, { 3, 2, 3 }, { 3, 3, 3 },
            { V256 - 1, V256 + 1, V256 }, { V256 + 1, V256 - 1, V256 + 1 },
            { V512 - 1, V512 + 1, V512 - 1 }, { V512 + 1, V512 - 1, V512 + 1 },
            { 2 * V512 + 3, 2 * V512 + 3, 2 * V512 + 3 },
            { 13, 37, 53 }, { 97, 61, 11 }, { 1, 97, 41 }, { 89, 1, 67 },
            { 8, 32, 17 }, { 6, 16, 19 }, { 4, 4, 9 }, { 33, 65, 31 }, { 17, 33, 300 },
            { 149, 23, 7 }, { 290, 35, 29 }, { 5, 2100, 9 }, { 37, 41, 513 }, { 150, 70, 260 }, { Gemm.ParallelMaxRows + 96, 40, 20 },
        };
        return data;
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void Sgemm_matches_double_precision_reference(int m, int n, int k)
    {
        var operands = new Operands(m, n, k, seed: (ulong)(m * 1_000_003 + n * 1009 + k));
        int ldc = n + Pad;
        foreach (bool transA in new[] { false, true })
            foreach (bool transB in new[] { false, true })
                foreach (float alpha in new[] { 1f, -0.5f })
                    foreach (float beta in new[] { 0f, 1f, 0.3f })
                    {
                        var initial = InitialC(m, n, ldc, seed: 99, nan: false);
                        var result = Run(operands, transA, transB, alpha, beta, (float[])initial.Clone(), ldc);
                        AssertMatches(operands, initial, result, ldc, alpha, beta,
                            $"{m}×{n}×{k} transA={transA} transB={transB} alpha={alpha} beta={beta}");
                    }
    }

    [Theory]
    [InlineData(3, 5, 7)]
    [InlineData(40, 70, 33)]
    [InlineData(150, 130, 270)]
    public void Beta_zero_overwrites_NaN_in_C(int m, int n, int k)
    {
        var operands = new Operands(m, n, k, seed: 5);
        int ldc = n + Pad;
        foreach (bool transA in new[] { false, true })
            foreach (bool transB in new[] { false, true })
            {
                var initial = InitialC(m, n, ldc, seed: 1, nan: true);
                var result = Run(operands, transA, transB, -0.5f, 0f, (float[])initial.Clone(), ldc);
                AssertMatches(operands, initial, result, ldc, -0.5f, 0f, $"NaN C, transA={transA} transB={transB}");
            }
    }

    [Fact]
    public void Alpha_zero_or_empty_k_scales_C_by_beta()
    {
        var c = new float[] { 1f, 2f, float.NaN, 4f };
        Gemm.Sgemm(false, false, 2, 2, 0, 1f, [], 0, [], 2, 0.5f, c, 2);
        c.Take(2).Should().Equal(0.5f, 1f);
        float.IsNaN(c[2]).Should().BeTrue();
        Gemm.Sgemm(false, false, 2, 2, 3, 0f, new float[6], 3, new float[6], 2, 0f, c, 2);
        c.Should().Equal(0f, 0f, 0f, 0f);
    }

    // Row blocks (517×97×260, 2400×40×20), column blocks (300×500×300, 64×512×128, 64×1000×300 with a partial
    // last block) and, with both operands too large to repack per block, the shared-slice tiled path (800×800×700,
    // and 512×100×3200, a long-k weight gradient with thirteen k slices).
    [Theory]
    [InlineData(300, 500, 300)]
    [InlineData(517, 97, 260)]
    [InlineData(64, 512, 128)]
    [InlineData(2400, 40, 20)]
    [InlineData(512, 100, 3200)]
    [InlineData(64, 1000, 300)]
    [InlineData(800, 800, 700)]
    public void Results_are_bitwise_identical_for_one_and_two_threads(int m, int n, int k)
    {
        var random = new RandomSource(11);
        var opA = new float[m * k];
        var opB = new float[k * n];
        random.FillUniform(opA, -1f, 1f);
        random.FillUniform(opB, -1f, 1f);
        int saved = Engine.ThreadCount;
        try
        {
            foreach (bool transA in new[] { false, true })
                foreach (bool transB in new[] { false, true })
                {
                    var (a, lda) = Operands.Store(opA, m, k, transA);
                    var (b, ldb) = Operands.Store(opB, k, n, transB);
                    var c1 = InitialC(m, n, n, seed: 3, nan: false);
                    var c2 = (float[])c1.Clone();
                    Engine.ThreadCount = 1;
                    Gemm.Sgemm(transA, transB, m, n, k, 0.7f, a, lda, b, ldb, 0.3f, c1, n);
                    Engine.ThreadCount = 2;
                    Gemm.Sgemm(transA, transB, m, n, k, 0.7f, a, lda, b, ldb, 0.3f, c2, n);
                    for (int i = 0; i < c1.Length; i++)
                        if (BitConverter.SingleToInt32Bits(c1[i]) != BitConverter.SingleToInt32Bits(c2[i]))
                            throw new Xunit.Sdk.XunitException($"transA={transA} transB={transB}: element {i} is {c1[i]:G9} on 1 thread but {c2[i]:G9} on 2.");
                }
        }
        finally
        {
            Engine.ThreadCount = saved;
        }
    }

    // The CI runs this suite with DOTNET_EnableAVX512=0, DOTNET_EnableAVX2=0 and DOTNET_EnableHWIntrinsic=0 to cover the other kernels;
    // this catches a switch the runtime ignores (as .NET 10 ignores DOTNET_EnableAVX512F).
    [Fact]
    public void Instruction_set_switches_select_the_matching_kernel()
    {
        if (Environment.GetEnvironmentVariable("DOTNET_EnableHWIntrinsic") == "0")
            GemmKernels.Kind.Should().Be(GemmKernelKind.Scalar);
        else if (Environment.GetEnvironmentVariable("DOTNET_EnableAVX2") == "0")
            GemmKernels.Kind.Should().Be(GemmKernelKind.Vector128);
        else if (Environment.GetEnvironmentVariable("DOTNET_EnableAVX512") == "0")
            GemmKernels.Kind.Should().Be(System.Runtime.Intrinsics.X86.Fma.IsSupported ? GemmKernelKind.Vector256 : GemmKernelKind.Scalar);
        else if (Vector512.IsHardwareAccelerated && System.Runtime.Intrinsics.X86.Avx512F.IsSupported)
            GemmKernels.Kind.Should().Be(GemmKernelKind.Vector512);
        else
            GemmKernels.Kind.Should().NotBe(GemmKernelKind.Vector512);
    }

    [Fact]
    public void Steady_state_calls_do_not_allocate_on_the_calling_thread()
    {
        const int m = 64, n = 128, k = 96;
        var a = new float[m * k];
        var b = new float[n * k];
        var c = new float[m * n];
        new RandomSource(2).FillUniform(a, -1f, 1f);
        new RandomSource(3).FillUniform(b, -1f, 1f);
        Gemm.Sgemm(false, true, m, n, k, 1f, a, k, b, k, 0f, c, n);
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 5; i++) Gemm.Sgemm(false, true, m, n, k, 1f, a, k, b, k, 1f, c, n);
        (GC.GetAllocatedBytesForCurrentThread() - before).Should().Be(0);
    }

    [Fact]
    public void Bad_arguments_throw_with_the_parameter_name()
    {
        var six = new float[6];
        Action negative = () => Gemm.Sgemm(false, false, -1, 2, 3, 1f, six, 3, six, 2, 0f, six, 2);
        negative.Should().Throw<ArgumentOutOfRangeException>().WithParameterName("m");
        Action shortLda = () => Gemm.Sgemm(false, false, 2, 2, 3, 1f, six, 2, six, 2, 0f, six, 2);
        shortLda.Should().Throw<ArgumentOutOfRangeException>().WithParameterName("lda");
        Action shortB = () => Gemm.Sgemm(false, true, 2, 3, 3, 1f, six, 3, six, 3, 0f, six, 3);
        shortB.Should().Throw<ArgumentException>().WithParameterName("b");
        Action shortC = () => Gemm.Sgemm(false, false, 2, 3, 3, 1f, six, 3, new float[9], 3, 0f, new float[5], 3);
        shortC.Should().Throw<ArgumentException>().WithParameterName("c");
    }
}
