using System.Numerics.Tensors;

namespace MLNetExt.Core.Kernels;

/// <summary>Log-softmax over the last dimension, y = x − max − log Σ e^(x − max), finite for any finite input.</summary>
/// <remarks>Shapes: x [rows, cols] → y [rows, cols]; backward dY [rows, cols] → dX [rows, cols] (accumulated).</remarks>
internal static class LogSoftmax
{
    /// <summary>Effectively computes <c>y[r, j] = x[r, j] − m − log Σₖ e^(x[r, k] − m)</c> with m the row max, for each row.</summary>
    public static void Forward(ReadOnlySpan<float> x, Span<float> y, int cols)
    {
        for (int start = 0; start < x.Length; start += cols)
        {
            var xRow = x.Slice(start, cols);
            var yRow = y.Slice(start, cols);
            float max = TensorPrimitives.Max(xRow);
            TensorPrimitives.Subtract(xRow, max, yRow);
            TensorPrimitives.Exp(yRow, yRow);
            float logSum = MathF.Log(TensorPrimitives.Sum<float>(yRow));
            // (x − max) − logSum, not x − (max + logSum): the rounded sum would cost up to half an ulp of max.
            TensorPrimitives.Subtract(xRow, max, yRow);
            TensorPrimitives.Subtract(yRow, logSum, yRow);
        }
    }

    /// <summary>Effectively computes <c>dX[r, i] += dY[r, i] − e^y[r, i] · Σⱼ dY[r, j]</c> for each row.</summary>
    public static void Backward(ReadOnlySpan<float> y, ReadOnlySpan<float> dY, Span<float> dX, int cols)
    {
        for (int start = 0; start < y.Length; start += cols)
        {
            var dyRow = dY.Slice(start, cols);
            ElementwiseLoop.AccumulateMap(y.Slice(start, cols), dyRow, dX.Slice(start, cols), new LogSoftmaxGradientOperator(TensorPrimitives.Sum<float>(dyRow)));
        }
    }
}
