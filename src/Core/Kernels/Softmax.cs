using System.Numerics.Tensors;

namespace MLNetExt.Core.Kernels;

/// <summary>Softmax over the last dimension, y = e^(x − max) / Σ e^(x − max): the max shift keeps every exponent ≤ 0.</summary>
/// <remarks>Shapes: x [rows, cols] → y [rows, cols]; backward dY [rows, cols] → dX [rows, cols] (accumulated).</remarks>
internal static class Softmax
{
    /// <summary>Effectively computes <c>y[r, j] = e^(x[r, j] − maxⱼ x[r, ·]) / Σₖ e^(x[r, k] − maxⱼ x[r, ·])</c> for each row.</summary>
    public static void Forward(ReadOnlySpan<float> x, Span<float> y, int cols)
    {
        for (int start = 0; start < x.Length; start += cols)
        {
            var xRow = x.Slice(start, cols);
            var yRow = y.Slice(start, cols);
            // TensorPrimitives.SoftMax does not subtract the max, so it overflows to ∞/∞ for inputs near 100.
            TensorPrimitives.Subtract(xRow, TensorPrimitives.Max(xRow), yRow);
            TensorPrimitives.Exp(yRow, yRow);
            TensorPrimitives.Multiply(yRow, 1f / TensorPrimitives.Sum<float>(yRow), yRow);
        }
    }

    /// <summary>Effectively computes <c>dX[r, i] += y[r, i] · (dY[r, i] − Σⱼ dY[r, j] · y[r, j])</c> for each row.</summary>
    public static void Backward(ReadOnlySpan<float> y, ReadOnlySpan<float> dY, Span<float> dX, int cols)
    {
        for (int start = 0; start < y.Length; start += cols)
        {
            var yRow = y.Slice(start, cols);
            var dyRow = dY.Slice(start, cols);
            var dxRow = dX.Slice(start, cols);
            float dot = TensorPrimitives.Dot(dyRow, yRow);
            TensorPrimitives.FusedMultiplyAdd(yRow, dyRow, dxRow, dxRow);
            TensorPrimitives.FusedMultiplyAdd(yRow, -dot, dxRow, dxRow);
        }
    }
}
