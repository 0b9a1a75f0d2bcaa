namespace MLNetExt.Core.Kernels;

/// <summary>Single-precision general matrix multiply on row-major storage.</summary>
public static class Gemm
{
    /// <summary>
    /// Effectively computes <c>C = alpha · op(A) · op(B) + beta · C</c>, where op(A) is m×k and op(B) is k×n,
    /// all row-major. <paramref name="transA"/> means A is stored k×m (so op(A) = Aᵀ); likewise
    /// <paramref name="transB"/>. <paramref name="lda"/>, <paramref name="ldb"/>, <paramref name="ldc"/> are the
    /// row strides of A, B and C as stored. With beta = 0, C is overwritten (NaNs in C do not propagate).
    /// </summary>
    public static void Sgemm(bool transA, bool transB, int m, int n, int k, float alpha,
        ReadOnlySpan<float> a, int lda, ReadOnlySpan<float> b, int ldb, float beta, Span<float> c, int ldc)
    {
        for (int i = 0; i < m; i++)
        {
            for (int j = 0; j < n; j++)
            {
                float sum = 0f;
                for (int p = 0; p < k; p++)
                {
                    float av = transA ? a[p * lda + i] : a[i * lda + p];
                    float bv = transB ? b[j * ldb + p] : b[p * ldb + j];
                    sum += av * bv;
                }
                ref float cij = ref c[i * ldc + j];
                cij = beta == 0f ? alpha * sum : alpha * sum + beta * cij;
            }
        }
    }
}
