using MLNetExt.Core.Kernels;
using MLNetExt.Core.Tests.Infrastructure;

namespace MLNetExt.Core.Tests.Kernels;

/// <summary>
/// <see cref="Gemm.SgemmBiasRelu"/> against <see cref="Gemm.Sgemm"/> (alpha 1, beta 0) followed by a separate bias
/// addition and max(·, 0): bitwise equal on every path (the unpacked tiny product, k = 0, one thread, several k slices,
/// row and column partitions, the shared-slice parallel path), every transpose, with and without bias and rectifier,
/// on one and two threads; C's padding is left alone and NaN in C beforehand does not leak in.
/// </summary>
[Collection(EngineSettingsCollection.Name)]
public class GemmEpilogueTests
{
    private const int Pad = 3;
    private const float Sentinel = 12345.5f;

    [Theory]
    [InlineData(3, 5, 7)]
    [InlineData(9, 11, 0)]
    [InlineData(40, 70, 33)]
    [InlineData(150, 130, 270)]
    [InlineData(517, 97, 260)]
    [InlineData(64, 512, 128)]
    [InlineData(256, 16, 64)]
    [InlineData(700, 700, 300)]
    public void Matches_the_product_then_bias_then_rectifier_bit_for_bit(int m, int n, int k)
    {
        var random = new RandomSource(17);
        var opA = new float[m * k];
        var opB = new float[k * n];
        var bias = new float[n];
        random.FillUniform(opA, -1f, 1f);
        random.FillUniform(opB, -1f, 1f);
        random.FillUniform(bias, -1f, 1f);
        if (opA.Length > 0) opA[opA.Length / 2] = float.NaN;
        int saved = Engine.ThreadCount;
        try
        {
            foreach (int threads in new[] { 1, 2 })
                foreach (bool transA in new[] { false, true })
                    foreach (bool transB in new[] { false, true })
                        foreach (bool withBias in new[] { false, true })
                            foreach (bool relu in new[] { false, true })
                            {
                                Engine.ThreadCount = threads;
                                var (a, lda) = Store(opA, m, k, transA);
                                var (b, ldb) = Store(opB, k, n, transB);
                                int ldc = n + Pad;
                                var expected = NewC(m, ldc);
                                var actual = NewC(m, ldc);
                                Gemm.Sgemm(transA, transB, m, n, k, 1f, a, lda, b, ldb, 0f, expected, ldc);
                                for (int i = 0; i < m; i++)
                                    for (int j = 0; j < n; j++)
                                    {
                                        float v = expected[i * ldc + j];
                                        if (withBias) v += bias[j];
                                        if (relu) v = MathF.Max(v, 0f);
                                        expected[i * ldc + j] = v;
                                    }
                                Gemm.SgemmBiasRelu(transA, transB, m, n, k, a, lda, b, ldb, withBias ? bias : default, relu, actual, ldc);
                                for (int i = 0; i < actual.Length; i++)
                                {
                                    if (BitConverter.SingleToInt32Bits(actual[i]) != BitConverter.SingleToInt32Bits(expected[i]))
                                        throw new Xunit.Sdk.XunitException(
                                            $"threads={threads} transA={transA} transB={transB} bias={withBias} relu={relu}: element {i} is {actual[i]:G9}, expected {expected[i]:G9}.");
                                }
                            }
        }
        finally
        {
            Engine.ThreadCount = saved;
        }
    }

    [Fact]
    public void A_bias_of_the_wrong_length_is_refused()
    {
        var a = new float[6];
        var b = new float[6];
        var c = new float[4];
        var act = () => Gemm.SgemmBiasRelu(false, false, 2, 2, 3, a, 3, b, 2, new float[3], false, c, 2);
        Assert.Equal("bias", Assert.Throws<ArgumentException>(act).ParamName);
    }

    // C's logical part is NaN (beta = 0 must overwrite it), its padding a sentinel that must survive.
    private static float[] NewC(int m, int ldc)
    {
        var c = new float[Math.Max(1, m * ldc)];
        for (int i = 0; i < c.Length; i++) c[i] = i % ldc < ldc - Pad ? float.NaN : Sentinel;
        return c;
    }

    // The logical rows × cols matrix stored with row stride (stored width + Pad), transposed when asked.
    private static (float[] Data, int Ld) Store(float[] logical, int rows, int cols, bool transpose)
    {
        int storedRows = transpose ? cols : rows, storedCols = transpose ? rows : cols, ld = storedCols + Pad;
        var data = new float[Math.Max(1, storedRows * ld)];
        for (int i = 0; i < rows; i++)
            for (int j = 0; j < cols; j++)
                data[transpose ? j * ld + i : i * ld + j] = logical[i * cols + j];
        return (data, ld);
    }
}
