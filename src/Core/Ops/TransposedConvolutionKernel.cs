using System.Numerics.Tensors;
using MLNetExt.Core.Kernels;

namespace MLNetExt.Core.Ops;

/// <summary>
/// Batched transposed convolution: the adjoint of <see cref="ConvolutionKernel"/>, as GEMM + col2im, parallel over the batch.
/// </summary>
/// <remarks>
/// The geometry <c>g</c> describes the ordinary convolution that maps the output back to the input: its input is
/// the transposed convolution's output (Channels = Cout, Height = Hout) and its output grid is the transposed
/// convolution's input (OH = Hin, OW = Win). With K = Cout·KH·KW and P = Hin·Win:
/// <code>
/// Forward:  x [N, Cin, P], W [Cin, K], b [Cout] or null → y [N, Cout, Hout, Wout]   (y zero on entry)
///           y[n] = col2im(Wᵀ · x[n]) + b
/// Backward: cols = im2col(dY[n])  [K, P]
///           dX[n]     += W · cols
///           dW [Cin, K] += Σn x[n] · colsᵀ
///           db[o]     += Σn Σ(h,w) dY[n, o, h, w]
/// </code>
/// </remarks>
internal static class TransposedConvolutionKernel
{
    public static void Forward(in ConvolutionGeometry g, int batch, int inChannels, float[] x, float[] weight, float[]? bias,
        float[] y, float[] workspace, int workers)
    {
        var job = new ForwardJob(g, inChannels, x, weight, bias, y, workspace, ConvolutionKernel.ColumnsSize(g));
        BatchParallel.For(workers, batch, job);
    }

    public static void Backward(in ConvolutionGeometry g, int batch, int inChannels, float[] x, float[] weight, float[] dY,
        float[]? dX, float[]? dWeight, float[]? dBias, float[] workspace, int workers)
    {
        int weightLength = inChannels * g.ColumnRows;
        int columnsSize = ConvolutionKernel.ColumnsSize(g);
        if (dX is not null || dWeight is not null)
        {
            int stride = ConvolutionKernel.WorkspaceStride(columnsSize, weightLength, workers, dWeight is not null);
            if (workers > 1 && dWeight is not null)
                for (int w = 0; w < workers; w++) workspace.AsSpan(w * stride + columnsSize, weightLength).Clear();
            var job = new BackwardJob(g, inChannels, x, weight, dY, dX, dWeight, workspace, columnsSize, stride, workers > 1);
            BatchParallel.For(workers, batch, job);
            if (workers > 1 && dWeight is not null)
            {
                var total = dWeight.AsSpan(0, weightLength);
                for (int w = 0; w < workers; w++) TensorPrimitives.Add(total, workspace.AsSpan(w * stride + columnsSize, weightLength), total);
            }
        }
        if (dBias is not null) ConvolutionKernel.AccumulateBiasGradient(dY, batch, g.Channels, g.Height * g.Width, dBias);
    }

    private readonly struct ForwardJob(ConvolutionGeometry g, int inChannels, float[] x, float[] weight, float[]? bias,
        float[] y, float[] workspace, int columnsSize) : IBatchJob
    {
        public void Run(int worker, int start, int end)
        {
            int k = g.ColumnRows, p = g.ColumnCount, outputSize = g.InputSize, plane = g.Height * g.Width;
            var columns = workspace.AsSpan(worker * columnsSize, columnsSize);
            for (int n = start; n < end; n++)
            {
                ReadOnlySpan<float> input = x.AsSpan(n * inChannels * p, inChannels * p);
                var output = y.AsSpan(n * outputSize, outputSize);
                if (g.IsPointwise)
                {
                    Gemm.Sgemm(true, false, k, p, inChannels, 1f, weight, k, input, p, 0f, output, p);
                }
                else
                {
                    Gemm.Sgemm(true, false, k, p, inChannels, 1f, weight, k, input, p, 0f, columns, p);
                    Im2Col.Backward(g, columns, output);
                }
                if (bias is not null)
                    for (int o = 0; o < g.Channels; o++)
                    {
                        var channel = output.Slice(o * plane, plane);
                        TensorPrimitives.Add(channel, bias[o], channel);
                    }
            }
        }
    }

    private readonly struct BackwardJob(ConvolutionGeometry g, int inChannels, float[] x, float[] weight, float[] dY,
        float[]? dX, float[]? dWeight, float[] workspace, int columnsSize, int stride, bool partialWeightGradient) : IBatchJob
    {
        public void Run(int worker, int start, int end)
        {
            int k = g.ColumnRows, p = g.ColumnCount, outputSize = g.InputSize;
            var columns = workspace.AsSpan(worker * stride, columnsSize);
            Span<float> weightGradient = dWeight is null ? default
                : partialWeightGradient ? workspace.AsSpan(worker * stride + columnsSize, inChannels * k)
                : dWeight.AsSpan(0, inChannels * k);
            for (int n = start; n < end; n++)
            {
                ReadOnlySpan<float> outputColumns = dY.AsSpan(n * outputSize, outputSize);
                if (!g.IsPointwise)
                {
                    Im2Col.Forward(g, outputColumns, columns);
                    outputColumns = columns;
                }
                if (dX is not null)
                    Gemm.Sgemm(false, false, inChannels, p, k, 1f, weight, k, outputColumns, p, 1f, dX.AsSpan(n * inChannels * p, inChannels * p), p);
                if (dWeight is not null)
                    Gemm.Sgemm(false, true, inChannels, k, p, 1f, x.AsSpan(n * inChannels * p, inChannels * p), p, outputColumns, p, 1f, weightGradient, k);
            }
        }
    }
}
