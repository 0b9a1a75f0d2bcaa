using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace MLNetExt.Core.Kernels;

/// <summary>
/// The vectorized loops behind the element-wise operators: full <see cref="Vector512{T}"/> blocks where AVX-512 is
/// available, else full <see cref="Vector256{T}"/> blocks (AVX2), else full <see cref="Vector128{T}"/> blocks (ARM64's
/// AdvSimd, x64's SSE), then a scalar tail.
/// </summary>
/// <remarks>
/// <para>The loops are compiled fully optimized up front (AggressiveOptimization): the recurrent gate passes run them
/// on short rows thousands of times per training step, and tiered compilation left them at tier 0 for a long time.</para>
/// <para>The tail is scalar rather than an overlapping last vector on purpose: an overlapped vector would apply the
/// function twice to some elements, which is wrong for the accumulating loop and for in-place use
/// (destination aliasing an input).</para>
/// </remarks>
internal static class ElementwiseLoop
{
    /// <summary>Effectively computes <c>destination[i] = op(x[i])</c>. <paramref name="destination"/> may be <paramref name="x"/> itself.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Map<TOp>(ReadOnlySpan<float> x, Span<float> destination, TOp op) where TOp : struct, IUnaryOperator
    {
        RequireDestination(x.Length, destination.Length);
        ref float xs = ref MemoryMarshal.GetReference(x);
        ref float ds = ref MemoryMarshal.GetReference(destination);
        int n = x.Length, i = 0;
        if (Vector512.IsHardwareAccelerated)
            for (; i <= n - Vector512<float>.Count; i += Vector512<float>.Count)
                op.Invoke(Vector512.LoadUnsafe(ref xs, (nuint)i)).StoreUnsafe(ref ds, (nuint)i);
        else if (Vector256.IsHardwareAccelerated)
            for (; i <= n - Vector256<float>.Count; i += Vector256<float>.Count)
                op.Invoke(Vector256.LoadUnsafe(ref xs, (nuint)i)).StoreUnsafe(ref ds, (nuint)i);
        else if (Vector128.IsHardwareAccelerated)
            for (; i <= n - Vector128<float>.Count; i += Vector128<float>.Count)
                op.Invoke(Vector128.LoadUnsafe(ref xs, (nuint)i)).StoreUnsafe(ref ds, (nuint)i);
        for (; i < n; i++)
            Unsafe.Add(ref ds, i) = op.Invoke(Unsafe.Add(ref xs, i));
    }

    /// <summary>Effectively computes <c>destination[i] = op(x[i], y[i])</c>. <paramref name="destination"/> may be an input itself.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Map<TOp>(ReadOnlySpan<float> x, ReadOnlySpan<float> y, Span<float> destination, TOp op) where TOp : struct, IBinaryOperator
    {
        RequireSameLength(x.Length, y.Length);
        RequireDestination(x.Length, destination.Length);
        ref float xs = ref MemoryMarshal.GetReference(x);
        ref float ys = ref MemoryMarshal.GetReference(y);
        ref float ds = ref MemoryMarshal.GetReference(destination);
        int n = x.Length, i = 0;
        if (Vector512.IsHardwareAccelerated)
            for (; i <= n - Vector512<float>.Count; i += Vector512<float>.Count)
                op.Invoke(Vector512.LoadUnsafe(ref xs, (nuint)i), Vector512.LoadUnsafe(ref ys, (nuint)i)).StoreUnsafe(ref ds, (nuint)i);
        else if (Vector256.IsHardwareAccelerated)
            for (; i <= n - Vector256<float>.Count; i += Vector256<float>.Count)
                op.Invoke(Vector256.LoadUnsafe(ref xs, (nuint)i), Vector256.LoadUnsafe(ref ys, (nuint)i)).StoreUnsafe(ref ds, (nuint)i);
        else if (Vector128.IsHardwareAccelerated)
            for (; i <= n - Vector128<float>.Count; i += Vector128<float>.Count)
                op.Invoke(Vector128.LoadUnsafe(ref xs, (nuint)i), Vector128.LoadUnsafe(ref ys, (nuint)i)).StoreUnsafe(ref ds, (nuint)i);
        for (; i < n; i++)
            Unsafe.Add(ref ds, i) = op.Invoke(Unsafe.Add(ref xs, i), Unsafe.Add(ref ys, i));
    }

    /// <summary>Effectively computes <c>destination[i] = op(x[i], y[i], z[i])</c>. <paramref name="destination"/> may be an input itself.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Map<TOp>(ReadOnlySpan<float> x, ReadOnlySpan<float> y, ReadOnlySpan<float> z, Span<float> destination, TOp op) where TOp : struct, ITernaryOperator
    {
        RequireSameLength(x.Length, y.Length);
        RequireSameLength(x.Length, z.Length);
        RequireDestination(x.Length, destination.Length);
        ref float xs = ref MemoryMarshal.GetReference(x);
        ref float ys = ref MemoryMarshal.GetReference(y);
        ref float zs = ref MemoryMarshal.GetReference(z);
        ref float ds = ref MemoryMarshal.GetReference(destination);
        int n = x.Length, i = 0;
        if (Vector512.IsHardwareAccelerated)
            for (; i <= n - Vector512<float>.Count; i += Vector512<float>.Count)
                op.Invoke(Vector512.LoadUnsafe(ref xs, (nuint)i), Vector512.LoadUnsafe(ref ys, (nuint)i), Vector512.LoadUnsafe(ref zs, (nuint)i)).StoreUnsafe(ref ds, (nuint)i);
        else if (Vector256.IsHardwareAccelerated)
            for (; i <= n - Vector256<float>.Count; i += Vector256<float>.Count)
                op.Invoke(Vector256.LoadUnsafe(ref xs, (nuint)i), Vector256.LoadUnsafe(ref ys, (nuint)i), Vector256.LoadUnsafe(ref zs, (nuint)i)).StoreUnsafe(ref ds, (nuint)i);
        else if (Vector128.IsHardwareAccelerated)
            for (; i <= n - Vector128<float>.Count; i += Vector128<float>.Count)
                op.Invoke(Vector128.LoadUnsafe(ref xs, (nuint)i), Vector128.LoadUnsafe(ref ys, (nuint)i), Vector128.LoadUnsafe(ref zs, (nuint)i)).StoreUnsafe(ref ds, (nuint)i);
        for (; i < n; i++)
            Unsafe.Add(ref ds, i) = op.Invoke(Unsafe.Add(ref xs, i), Unsafe.Add(ref ys, i), Unsafe.Add(ref zs, i));
    }

    /// <summary>Effectively computes <c>destination[i] += op(x[i], y[i])</c>; the backward passes' gradient accumulation.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void AccumulateMap<TOp>(ReadOnlySpan<float> x, ReadOnlySpan<float> y, Span<float> destination, TOp op) where TOp : struct, IBinaryOperator
    {
        RequireSameLength(x.Length, y.Length);
        RequireDestination(x.Length, destination.Length);
        ref float xs = ref MemoryMarshal.GetReference(x);
        ref float ys = ref MemoryMarshal.GetReference(y);
        ref float ds = ref MemoryMarshal.GetReference(destination);
        int n = x.Length, i = 0;
        if (Vector512.IsHardwareAccelerated)
            for (; i <= n - Vector512<float>.Count; i += Vector512<float>.Count)
                (Vector512.LoadUnsafe(ref ds, (nuint)i) + op.Invoke(Vector512.LoadUnsafe(ref xs, (nuint)i), Vector512.LoadUnsafe(ref ys, (nuint)i))).StoreUnsafe(ref ds, (nuint)i);
        else if (Vector256.IsHardwareAccelerated)
            for (; i <= n - Vector256<float>.Count; i += Vector256<float>.Count)
                (Vector256.LoadUnsafe(ref ds, (nuint)i) + op.Invoke(Vector256.LoadUnsafe(ref xs, (nuint)i), Vector256.LoadUnsafe(ref ys, (nuint)i))).StoreUnsafe(ref ds, (nuint)i);
        else if (Vector128.IsHardwareAccelerated)
            for (; i <= n - Vector128<float>.Count; i += Vector128<float>.Count)
                (Vector128.LoadUnsafe(ref ds, (nuint)i) + op.Invoke(Vector128.LoadUnsafe(ref xs, (nuint)i), Vector128.LoadUnsafe(ref ys, (nuint)i))).StoreUnsafe(ref ds, (nuint)i);
        for (; i < n; i++)
            Unsafe.Add(ref ds, i) += op.Invoke(Unsafe.Add(ref xs, i), Unsafe.Add(ref ys, i));
    }

    /// <summary>
    /// Effectively computes <c>destination[i] = x[i]·y[i] + destination[i]</c> with one rounding (a fused multiply-add,
    /// as <c>TensorPrimitives.FusedMultiplyAdd</c>, so bitwise the same); the element-wise losses' backward.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void FusedMultiplyAccumulate(ReadOnlySpan<float> x, ReadOnlySpan<float> y, Span<float> destination)
    {
        RequireSameLength(x.Length, y.Length);
        RequireDestination(x.Length, destination.Length);
        ref float xs = ref MemoryMarshal.GetReference(x);
        ref float ys = ref MemoryMarshal.GetReference(y);
        ref float ds = ref MemoryMarshal.GetReference(destination);
        int n = x.Length, i = 0;
        if (Vector512.IsHardwareAccelerated)
            for (; i <= n - Vector512<float>.Count; i += Vector512<float>.Count)
                Vector512.FusedMultiplyAdd(Vector512.LoadUnsafe(ref xs, (nuint)i), Vector512.LoadUnsafe(ref ys, (nuint)i), Vector512.LoadUnsafe(ref ds, (nuint)i)).StoreUnsafe(ref ds, (nuint)i);
        else if (Vector256.IsHardwareAccelerated)
            for (; i <= n - Vector256<float>.Count; i += Vector256<float>.Count)
                Vector256.FusedMultiplyAdd(Vector256.LoadUnsafe(ref xs, (nuint)i), Vector256.LoadUnsafe(ref ys, (nuint)i), Vector256.LoadUnsafe(ref ds, (nuint)i)).StoreUnsafe(ref ds, (nuint)i);
        else if (Vector128.IsHardwareAccelerated)
            for (; i <= n - Vector128<float>.Count; i += Vector128<float>.Count)
                Vector128.FusedMultiplyAdd(Vector128.LoadUnsafe(ref xs, (nuint)i), Vector128.LoadUnsafe(ref ys, (nuint)i), Vector128.LoadUnsafe(ref ds, (nuint)i)).StoreUnsafe(ref ds, (nuint)i);
        for (; i < n; i++)
            Unsafe.Add(ref ds, i) = MathF.FusedMultiplyAdd(Unsafe.Add(ref xs, i), Unsafe.Add(ref ys, i), Unsafe.Add(ref ds, i));
    }

    /// <summary>Effectively computes <c>destination[i] = x[i]·scale + destination[i]</c> with one rounding (a fused multiply-add).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void FusedMultiplyAccumulate(ReadOnlySpan<float> x, float scale, Span<float> destination)
    {
        RequireDestination(x.Length, destination.Length);
        ref float xs = ref MemoryMarshal.GetReference(x);
        ref float ds = ref MemoryMarshal.GetReference(destination);
        int n = x.Length, i = 0;
        if (Vector512.IsHardwareAccelerated)
        {
            var s = Vector512.Create(scale);
            for (; i <= n - Vector512<float>.Count; i += Vector512<float>.Count)
                Vector512.FusedMultiplyAdd(Vector512.LoadUnsafe(ref xs, (nuint)i), s, Vector512.LoadUnsafe(ref ds, (nuint)i)).StoreUnsafe(ref ds, (nuint)i);
        }
        else if (Vector256.IsHardwareAccelerated)
        {
            var s = Vector256.Create(scale);
            for (; i <= n - Vector256<float>.Count; i += Vector256<float>.Count)
                Vector256.FusedMultiplyAdd(Vector256.LoadUnsafe(ref xs, (nuint)i), s, Vector256.LoadUnsafe(ref ds, (nuint)i)).StoreUnsafe(ref ds, (nuint)i);
        }
        else if (Vector128.IsHardwareAccelerated)
        {
            var s = Vector128.Create(scale);
            for (; i <= n - Vector128<float>.Count; i += Vector128<float>.Count)
                Vector128.FusedMultiplyAdd(Vector128.LoadUnsafe(ref xs, (nuint)i), s, Vector128.LoadUnsafe(ref ds, (nuint)i)).StoreUnsafe(ref ds, (nuint)i);
        }
        for (; i < n; i++)
            Unsafe.Add(ref ds, i) = MathF.FusedMultiplyAdd(Unsafe.Add(ref xs, i), scale, Unsafe.Add(ref ds, i));
    }

    /// <summary>
    /// Adds <paramref name="row"/> to every row of <paramref name="matrix"/> ([rows, row.Length], row-major) in place:
    /// a linear layer's bias. Each element is one rounded addition, bitwise what <c>TensorPrimitives.Add</c> per row gives.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void AddToEachRow(Span<float> matrix, ReadOnlySpan<float> row)
    {
        int width = row.Length;
        if (width == 0) return;
        if (matrix.Length % width != 0)
            throw new ArgumentException($"A matrix of {matrix.Length} elements does not hold whole rows of {width}.", nameof(matrix));
        ref float rs = ref MemoryMarshal.GetReference(row);
        ref float ms = ref MemoryMarshal.GetReference(matrix);
        for (int start = 0; start < matrix.Length; start += width)
        {
            ref float ys = ref Unsafe.Add(ref ms, start);
            int i = 0;
            if (Vector512.IsHardwareAccelerated)
                for (; i <= width - Vector512<float>.Count; i += Vector512<float>.Count)
                    (Vector512.LoadUnsafe(ref ys, (nuint)i) + Vector512.LoadUnsafe(ref rs, (nuint)i)).StoreUnsafe(ref ys, (nuint)i);
            else if (Vector256.IsHardwareAccelerated)
                for (; i <= width - Vector256<float>.Count; i += Vector256<float>.Count)
                    (Vector256.LoadUnsafe(ref ys, (nuint)i) + Vector256.LoadUnsafe(ref rs, (nuint)i)).StoreUnsafe(ref ys, (nuint)i);
            else if (Vector128.IsHardwareAccelerated)
                for (; i <= width - Vector128<float>.Count; i += Vector128<float>.Count)
                    (Vector128.LoadUnsafe(ref ys, (nuint)i) + Vector128.LoadUnsafe(ref rs, (nuint)i)).StoreUnsafe(ref ys, (nuint)i);
            for (; i < width; i++)
                Unsafe.Add(ref ys, i) += Unsafe.Add(ref rs, i);
        }
    }

    /// <summary>
    /// Adds every row of <paramref name="matrix"/> ([rows, sum.Length], row-major) to <paramref name="sum"/>, first row
    /// first: a linear layer's bias gradient Σ_rows dY. Each element of the sum sees the rows in order, bitwise what
    /// <c>TensorPrimitives.Add</c> per row gives.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void AccumulateRows(ReadOnlySpan<float> matrix, Span<float> sum)
    {
        int width = sum.Length;
        if (width == 0) return;
        if (matrix.Length % width != 0)
            throw new ArgumentException($"A matrix of {matrix.Length} elements does not hold whole rows of {width}.", nameof(matrix));
        ref float ss = ref MemoryMarshal.GetReference(sum);
        ref float ms = ref MemoryMarshal.GetReference(matrix);
        for (int start = 0; start < matrix.Length; start += width)
        {
            ref float xs = ref Unsafe.Add(ref ms, start);
            int i = 0;
            if (Vector512.IsHardwareAccelerated)
                for (; i <= width - Vector512<float>.Count; i += Vector512<float>.Count)
                    (Vector512.LoadUnsafe(ref ss, (nuint)i) + Vector512.LoadUnsafe(ref xs, (nuint)i)).StoreUnsafe(ref ss, (nuint)i);
            else if (Vector256.IsHardwareAccelerated)
                for (; i <= width - Vector256<float>.Count; i += Vector256<float>.Count)
                    (Vector256.LoadUnsafe(ref ss, (nuint)i) + Vector256.LoadUnsafe(ref xs, (nuint)i)).StoreUnsafe(ref ss, (nuint)i);
            else if (Vector128.IsHardwareAccelerated)
                for (; i <= width - Vector128<float>.Count; i += Vector128<float>.Count)
                    (Vector128.LoadUnsafe(ref ss, (nuint)i) + Vector128.LoadUnsafe(ref xs, (nuint)i)).StoreUnsafe(ref ss, (nuint)i);
            for (; i < width; i++)
                Unsafe.Add(ref ss, i) += Unsafe.Add(ref xs, i);
        }
    }

    /// <summary>Effectively computes <c>Σᵢ op(x[i], y[i])</c>.</summary>
    public static float SumMap<TOp>(ReadOnlySpan<float> x, ReadOnlySpan<float> y, TOp op) where TOp : struct, IBinaryOperator
    {
        RequireSameLength(x.Length, y.Length);
        ref float xs = ref MemoryMarshal.GetReference(x);
        ref float ys = ref MemoryMarshal.GetReference(y);
        int n = x.Length, i = 0;
        float sum = 0f;
        if (Vector512.IsHardwareAccelerated && n >= Vector512<float>.Count)
        {
            var acc = Vector512<float>.Zero;
            for (; i <= n - Vector512<float>.Count; i += Vector512<float>.Count)
                acc += op.Invoke(Vector512.LoadUnsafe(ref xs, (nuint)i), Vector512.LoadUnsafe(ref ys, (nuint)i));
            sum = Vector512.Sum(acc);
        }
        else if (Vector256.IsHardwareAccelerated && n >= Vector256<float>.Count)
        {
            var acc = Vector256<float>.Zero;
            for (; i <= n - Vector256<float>.Count; i += Vector256<float>.Count)
                acc += op.Invoke(Vector256.LoadUnsafe(ref xs, (nuint)i), Vector256.LoadUnsafe(ref ys, (nuint)i));
            sum = Vector256.Sum(acc);
        }
        for (; i < n; i++)
            sum += op.Invoke(Unsafe.Add(ref xs, i), Unsafe.Add(ref ys, i));
        return sum;
    }

    private static void RequireSameLength(int first, int other)
    {
        if (first != other)
            throw new ArgumentException($"Element-wise operands must have the same length but got {first} and {other}.");
    }

    private static void RequireDestination(int length, int destinationLength)
    {
        if (destinationLength < length)
            throw new ArgumentException($"The destination holds {destinationLength} elements but {length} are needed.", "destination");
    }
}
