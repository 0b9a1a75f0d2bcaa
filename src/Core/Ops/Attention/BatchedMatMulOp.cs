using MLNetExt.Core.Autograd;
using MLNetExt.Core.Kernels;

namespace MLNetExt.Core.Ops;

/// <summary>
/// A batch of independent matrix products, <c>torch.bmm</c> with optional transposes: y[g] = op(a[g]) · op(b[g]).
/// The transposes are GEMM flags; nothing is copied.
/// </summary>
public static class BatchedMatMulOp
{
    /// <summary>
    /// Shapes: a [G, m, k] ([G, k, m] when <paramref name="transposeA"/>), b [G, k, n] ([G, n, k] when
    /// <paramref name="transposeB"/>) → y [G, m, n].
    /// </summary>
    /// <exception cref="ArgumentException">An operand is not rank 3, the batch sizes differ, or the inner dimensions differ.</exception>
    public static Tensor Forward(Tensor a, Tensor b, bool transposeA = false, bool transposeB = false, Tape? tape = null)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        if (a.Rank != 3)
            throw new ArgumentException($"BatchedMatMul expects a [G, m, k] but got {ShapeText.Of(a)}.", nameof(a));
        if (b.Rank != 3 || b.Dim(0) != a.Dim(0))
            throw new ArgumentException($"BatchedMatMul expects b [{a.Dim(0)}, k, n] for a {ShapeText.Of(a)} but got {ShapeText.Of(b)}.", nameof(b));
        var p = Sizes.Of(a, b, transposeA, transposeB);
        var y = Tape.Allocate(tape, [p.Groups, p.M, p.N], clear: false);
        for (int g = 0; g < p.Groups; g++)
            Gemm.Sgemm(transposeA, transposeB, p.M, p.N, p.K, 1f, a.Span.Slice(g * p.M * p.K, p.M * p.K), transposeA ? p.M : p.K,
                b.Span.Slice(g * p.K * p.N, p.K * p.N), transposeB ? p.K : p.N, 0f, y.Span.Slice(g * p.M * p.N, p.M * p.N), p.N);
        if (Tape.ShouldRecord(tape, a, b))
            tape!.Record(new TapeNode(BatchedMatMulBackward.Instance, y, a, b, IntArg: (transposeA ? 1 : 0) | (transposeB ? 2 : 0)));
        return y;
    }

    private readonly record struct Sizes(int Groups, int M, int N, int K)
    {
        public static Sizes Of(Tensor a, Tensor b, bool transposeA, bool transposeB)
        {
            int m = transposeA ? a.Dim(2) : a.Dim(1), k = transposeA ? a.Dim(1) : a.Dim(2);
            int kb = transposeB ? b.Dim(2) : b.Dim(1), n = transposeB ? b.Dim(1) : b.Dim(2);
            if (k != kb)
                throw new ArgumentException($"BatchedMatMul inner dimensions differ: op(a) is [{a.Dim(0)}, {m}, {k}] and op(b) is [{b.Dim(0)}, {kb}, {n}].", nameof(b));
            return new Sizes(a.Dim(0), m, n, k);
        }
    }

    // Per group, shapes: dY [m, n];
    //   dA += dY · op(B)ᵀ ([m, k]), or op(B) · dYᵀ ([k, m]) when a is stored transposed;
    //   dB += op(A)ᵀ · dY ([k, n]), or dYᵀ · op(A) ([n, k]) when b is stored transposed.
    private sealed class BatchedMatMulBackward : IBackward
    {
        public static readonly BatchedMatMulBackward Instance = new();
        public void Backward(Tape tape, in TapeNode node)
        {
            Tensor a = node.A!, b = node.B!;
            bool transposeA = (node.IntArg & 1) != 0, transposeB = (node.IntArg & 2) != 0;
            var p = Sizes.Of(a, b, transposeA, transposeB);
            int m = p.M, n = p.N, k = p.K;
            int lda = transposeA ? m : k, ldb = transposeB ? k : n;
            var dY = node.Output.Grad!.Span;
            Span<float> dA = a.RequiresGrad ? Tape.GradOf(a) : default, dB = b.RequiresGrad ? Tape.GradOf(b) : default;
            for (int g = 0; g < p.Groups; g++)
            {
                var dYg = dY.Slice(g * m * n, m * n);
                var ag = a.Span.Slice(g * m * k, m * k);
                var bg = b.Span.Slice(g * k * n, k * n);
                if (!dA.IsEmpty)
                {
                    var dAg = dA.Slice(g * m * k, m * k);
                    if (transposeA) Gemm.Sgemm(transposeB, true, k, m, n, 1f, bg, ldb, dYg, n, 1f, dAg, lda);
                    else Gemm.Sgemm(false, !transposeB, m, k, n, 1f, dYg, n, bg, ldb, 1f, dAg, lda);
                }
                if (!dB.IsEmpty)
                {
                    var dBg = dB.Slice(g * k * n, k * n);
                    if (transposeB) Gemm.Sgemm(true, transposeA, n, k, m, 1f, dYg, n, ag, lda, 1f, dBg, ldb);
                    else Gemm.Sgemm(!transposeA, false, k, n, m, 1f, ag, lda, dYg, n, 1f, dBg, ldb);
                }
            }
        }
    }
}
