using System.Numerics.Tensors;
using MLNetExt.Core.Autograd;
using MLNetExt.Core.Kernels;

namespace MLNetExt.Core.Ops;

/// <summary>
/// Elementary differentiable tensor operations. Each takes an optional <see cref="Tape"/>: with one, the output
/// comes from its arena and the op is recorded when an input requires a gradient; with <c>null</c>, it runs
/// in inference mode.
/// </summary>
public static class TensorOps
{
    /// <summary>Element-wise sum. Shapes: a [*], b [*] (same shape) → [*].</summary>
    public static Tensor Add(Tensor a, Tensor b, Tape? tape = null)
    {
        RequireSameShape(a, b, nameof(Add));
        var y = Tape.Allocate(tape, a.Shape, clear: false);
        TensorPrimitives.Add(a.Span, b.Span, y.Span);
        if (Tape.ShouldRecord(tape, a, b)) tape!.Record(new TapeNode(AddBackward.Instance, y, a, b));
        return y;
    }

    /// <summary>Element-wise difference a − b. Shapes: a [*], b [*] (same shape) → [*].</summary>
    public static Tensor Subtract(Tensor a, Tensor b, Tape? tape = null)
    {
        RequireSameShape(a, b, nameof(Subtract));
        var y = Tape.Allocate(tape, a.Shape, clear: false);
        TensorPrimitives.Subtract(a.Span, b.Span, y.Span);
        if (Tape.ShouldRecord(tape, a, b)) tape!.Record(new TapeNode(SubtractBackward.Instance, y, a, b));
        return y;
    }

    /// <summary>Element-wise (Hadamard) product. Shapes: a [*], b [*] (same shape) → [*].</summary>
    public static Tensor Multiply(Tensor a, Tensor b, Tape? tape = null)
    {
        RequireSameShape(a, b, nameof(Multiply));
        var y = Tape.Allocate(tape, a.Shape, clear: false);
        TensorPrimitives.Multiply(a.Span, b.Span, y.Span);
        if (Tape.ShouldRecord(tape, a, b)) tape!.Record(new TapeNode(MultiplyBackward.Instance, y, a, b));
        return y;
    }

    /// <summary>y = s·a. Shapes: [*] → [*].</summary>
    public static Tensor Scale(Tensor a, float s, Tape? tape = null)
    {
        var y = Tape.Allocate(tape, a.Shape, clear: false);
        TensorPrimitives.Multiply(a.Span, s, y.Span);
        if (Tape.ShouldRecord(tape, a)) tape!.Record(new TapeNode(ScaleBackward.Instance, y, a, FloatArg: s));
        return y;
    }

    /// <summary>Sum of all elements. Shapes: [*] → [] (a scalar).</summary>
    public static Tensor Sum(Tensor a, Tape? tape = null)
    {
        var y = Tape.Allocate(tape, [], clear: false);
        y.Data[0] = TensorPrimitives.Sum<float>(a.Span);
        if (Tape.ShouldRecord(tape, a)) tape!.Record(new TapeNode(SumBackward.Instance, y, a, FloatArg: 1f));
        return y;
    }

    /// <summary>Mean of all elements. Shapes: [*] → [] (a scalar).</summary>
    public static Tensor Mean(Tensor a, Tape? tape = null)
    {
        if (a.Length == 0) throw new ArgumentException("The mean of an empty tensor is undefined.", nameof(a));
        var y = Tape.Allocate(tape, [], clear: false);
        y.Data[0] = TensorPrimitives.Sum<float>(a.Span) / a.Length;
        if (Tape.ShouldRecord(tape, a)) tape!.Record(new TapeNode(SumBackward.Instance, y, a, FloatArg: 1f / a.Length));
        return y;
    }

    /// <summary>
    /// Matrix product. Shapes: a [m, k], b [k, n] → [m, n]. With <paramref name="transposeB"/>, b is [n, k] and
    /// the product is a·bᵀ (no copy: the transpose is a GEMM flag).
    /// </summary>
    public static Tensor MatMul(Tensor a, Tensor b, Tape? tape = null, bool transposeB = false)
    {
        if (a.Rank != 2 || b.Rank != 2)
            throw new ArgumentException($"MatMul expects two matrices but got [{string.Join(", ", a.Shape.ToArray())}] and [{string.Join(", ", b.Shape.ToArray())}].");
        int m = a.Dim(0), k = a.Dim(1);
        int kb = transposeB ? b.Dim(1) : b.Dim(0), n = transposeB ? b.Dim(0) : b.Dim(1);
        if (k != kb)
            throw new ArgumentException($"MatMul inner dimensions differ: a is [{m}, {k}] and op(b) is [{kb}, {n}].");
        var y = Tape.Allocate(tape, [m, n], clear: false);
        Gemm.Sgemm(false, transposeB, m, n, k, 1f, a.Span, k, b.Span, b.Dim(1), 0f, y.Span, n);
        if (Tape.ShouldRecord(tape, a, b)) tape!.Record(new TapeNode(MatMulBackward.Instance, y, a, b, IntArg: transposeB ? 1 : 0));
        return y;
    }

    /// <summary>
    /// The same elements under a new shape (one dimension may be −1). A free view: storage is shared, and the
    /// backward pass routes the gradient back to the source's shape.
    /// </summary>
    public static Tensor Reshape(Tensor a, ReadOnlySpan<int> shape, Tape? tape = null)
    {
        ReadOnlySpan<int> target = shape;
        if (shape.Contains(-1)) target = Tensor.ResolveReshape(shape, a.Length);
        else if (Tensor.CheckedLength(shape) != a.Length)
            throw new ArgumentException($"Cannot reshape [{string.Join(", ", a.Shape.ToArray())}] ({a.Length} elements) into [{string.Join(", ", shape.ToArray())}].", nameof(shape));
        var y = Tape.View(tape, a, target);
        if (Tape.ShouldRecord(tape, a)) tape!.Record(new TapeNode(ReshapeBackward.Instance, y, a));
        return y;
    }

    internal static void RequireSameShape(Tensor a, Tensor b, string op)
    {
        if (!a.HasShape(b.Shape))
            throw new ArgumentException($"{op} needs operands of the same shape but got [{string.Join(", ", a.Shape.ToArray())}] and [{string.Join(", ", b.Shape.ToArray())}].");
    }

    private sealed class AddBackward : IBackward
    {
        public static readonly AddBackward Instance = new();
        public void Backward(Tape tape, in TapeNode node)
        {
            var dy = node.Output.Grad!.Span;
            if (node.A!.RequiresGrad) TensorPrimitives.Add(Tape.GradOf(node.A), dy, Tape.GradOf(node.A));
            if (node.B!.RequiresGrad) TensorPrimitives.Add(Tape.GradOf(node.B), dy, Tape.GradOf(node.B));
        }
    }

    private sealed class SubtractBackward : IBackward
    {
        public static readonly SubtractBackward Instance = new();
        public void Backward(Tape tape, in TapeNode node)
        {
            var dy = node.Output.Grad!.Span;
            if (node.A!.RequiresGrad) TensorPrimitives.Add(Tape.GradOf(node.A), dy, Tape.GradOf(node.A));
            if (node.B!.RequiresGrad) TensorPrimitives.Subtract(Tape.GradOf(node.B), dy, Tape.GradOf(node.B));
        }
    }

    private sealed class MultiplyBackward : IBackward
    {
        public static readonly MultiplyBackward Instance = new();
        public void Backward(Tape tape, in TapeNode node)
        {
            var dy = node.Output.Grad!.Span;
            // dA += dY ⊙ B ; dB += dY ⊙ A
            if (node.A!.RequiresGrad) TensorPrimitives.FusedMultiplyAdd(dy, node.B!.Span, Tape.GradOf(node.A), Tape.GradOf(node.A));
            if (node.B!.RequiresGrad) TensorPrimitives.FusedMultiplyAdd(dy, node.A.Span, Tape.GradOf(node.B), Tape.GradOf(node.B));
        }
    }

    private sealed class ScaleBackward : IBackward
    {
        public static readonly ScaleBackward Instance = new();
        public void Backward(Tape tape, in TapeNode node)
        {
            var dA = Tape.GradOf(node.A!);
            TensorPrimitives.FusedMultiplyAdd(node.Output.Grad!.Span, node.FloatArg, dA, dA);
        }
    }

    /// <summary>Shared by Sum (factor 1) and Mean (factor 1/n): dA[i] += factor · dy.</summary>
    private sealed class SumBackward : IBackward
    {
        public static readonly SumBackward Instance = new();
        public void Backward(Tape tape, in TapeNode node)
        {
            var dA = Tape.GradOf(node.A!);
            TensorPrimitives.Add(dA, node.Output.Grad!.Data[0] * node.FloatArg, dA);
        }
    }

    private sealed class MatMulBackward : IBackward
    {
        public static readonly MatMulBackward Instance = new();
        public void Backward(Tape tape, in TapeNode node)
        {
            Tensor a = node.A!, b = node.B!;
            bool transposeB = node.IntArg == 1;
            int m = a.Dim(0), k = a.Dim(1), n = node.Output.Dim(1);
            var dy = node.Output.Grad!.Span;
            // dA[m,k] += dY[m,n] · op(B)ᵀ
            if (a.RequiresGrad)
                Gemm.Sgemm(false, !transposeB, m, k, n, 1f, dy, n, b.Span, b.Dim(1), 1f, Tape.GradOf(a), k);
            if (b.RequiresGrad)
            {
                if (transposeB) // dB[n,k] += dYᵀ · A
                    Gemm.Sgemm(true, false, n, k, m, 1f, dy, n, a.Span, k, 1f, Tape.GradOf(b), k);
                else            // dB[k,n] += Aᵀ · dY
                    Gemm.Sgemm(true, false, k, n, m, 1f, a.Span, k, dy, n, 1f, Tape.GradOf(b), n);
            }
        }
    }

    private sealed class ReshapeBackward : IBackward
    {
        public static readonly ReshapeBackward Instance = new();
        public void Backward(Tape tape, in TapeNode node)
        {
            var dA = Tape.GradOf(node.A!);
            TensorPrimitives.Add(dA, node.Output.Grad!.Span, dA);
        }
    }
}
