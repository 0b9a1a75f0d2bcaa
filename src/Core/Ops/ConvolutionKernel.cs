using System.Numerics.Tensors;
using MLNetExt.Core.Kernels;

namespace MLNetExt.Core.Ops;

/// <summary>
/// Batched convolution as im2col + GEMM, parallel over the batch.
/// </summary>
/// <remarks>
/// Shapes (K = C·KH·KW, P = OH·OW; a 1-D convolution has H = KH = OH = 1):
/// <code>
/// Forward:  x [N, C, H, W], W [O, K], b [O] or null → y [N, O, P]
///           y[n] = W · im2col(x[n]) + b
/// Backward: dW [O, K] += Σn dY[n] · im2col(x[n])ᵀ
///           dX[n]     += col2im(Wᵀ · dY[n])
///           db[o]     += Σn Σp dY[n, o, p]
/// </code>
/// The workspace holds, per worker, one im2col matrix [K, P] and, when several workers compute a weight gradient,
/// a private partial dW that is summed in worker order at the end.
/// </remarks>
internal static class ConvolutionKernel
{
    public static int ColumnsSize(in ConvolutionGeometry g) => g.IsPointwise ? 0 : g.ColumnRows * g.ColumnCount;

    /// <summary>Floats of workspace per worker: the im2col matrix, plus a partial weight gradient when several workers share the batch.</summary>
    public static int WorkspaceStride(int columnsSize, int weightLength, int workers, bool withWeightGradient)
        => columnsSize + (workers > 1 && withWeightGradient ? weightLength : 0);

    /// <summary>The most workers (≤ <paramref name="wanted"/>) whose scratch fits in <paramref name="workspaceLength"/>.</summary>
    public static int FitWorkers(int wanted, int workspaceLength, int columnsSize, int weightLength, bool withWeightGradient)
    {
        int workers = wanted;
        while (workers > 1 && (long)workers * WorkspaceStride(columnsSize, weightLength, workers, withWeightGradient) > workspaceLength) workers--;
        return workers;
    }

    public static long WorkPerImage(in ConvolutionGeometry g, int filters) => (long)filters * g.ColumnRows * g.ColumnCount;

    public static void Forward(in ConvolutionGeometry g, int batch, int filters, float[] x, float[] weight, float[]? bias,
        float[] y, float[] workspace, int workers)
    {
        var job = new ForwardJob(g, filters, x, weight, bias, y, workspace, ColumnsSize(g));
        BatchParallel.For(workers, batch, job);
    }

    public static void Backward(in ConvolutionGeometry g, int batch, int filters, float[] x, float[] weight, float[] dY,
        float[]? dX, float[]? dWeight, float[]? dBias, float[] workspace, int workers)
    {
        int weightLength = filters * g.ColumnRows;
        int columnsSize = ColumnsSize(g);
        if (dX is not null || dWeight is not null)
        {
            int stride = WorkspaceStride(columnsSize, weightLength, workers, dWeight is not null);
            if (workers > 1 && dWeight is not null)
                for (int w = 0; w < workers; w++) workspace.AsSpan(w * stride + columnsSize, weightLength).Clear();
            var job = new BackwardJob(g, filters, x, weight, dY, dX, dWeight, workspace, columnsSize, stride, workers > 1);
            BatchParallel.For(workers, batch, job);
            if (workers > 1 && dWeight is not null)
            {
                var total = dWeight.AsSpan(0, weightLength);
                for (int w = 0; w < workers; w++) TensorPrimitives.Add(total, workspace.AsSpan(w * stride + columnsSize, weightLength), total);
            }
        }
        if (dBias is not null) AccumulateBiasGradient(dY, batch, filters, g.ColumnCount, dBias);
    }

    /// <summary>db[o] += Σn Σp dY[n, o, p] over a [N, O, P] tensor.</summary>
    public static void AccumulateBiasGradient(float[] dY, int batch, int filters, int positions, float[] dBias)
    {
        for (int n = 0; n < batch; n++)
            for (int o = 0; o < filters; o++)
                dBias[o] += TensorPrimitives.Sum<float>(dY.AsSpan((n * filters + o) * positions, positions));
    }

    private readonly struct ForwardJob(ConvolutionGeometry g, int filters, float[] x, float[] weight, float[]? bias,
        float[] y, float[] workspace, int columnsSize) : IBatchJob
    {
        public void Run(int worker, int start, int end)
        {
            int k = g.ColumnRows, p = g.ColumnCount, inputSize = g.InputSize;
            var columns = workspace.AsSpan(worker * columnsSize, columnsSize);
            for (int n = start; n < end; n++)
            {
                ReadOnlySpan<float> image = x.AsSpan(n * inputSize, inputSize);
                if (!g.IsPointwise)
                {
                    Im2Col.Forward(g, image, columns);
                    image = columns;
                }
                var output = y.AsSpan(n * filters * p, filters * p);
                Gemm.Sgemm(false, false, filters, p, k, 1f, weight, k, image, p, 0f, output, p);
                if (bias is not null)
                    for (int o = 0; o < filters; o++)
                    {
                        var row = output.Slice(o * p, p);
                        TensorPrimitives.Add(row, bias[o], row);
                    }
            }
        }
    }

    private readonly struct BackwardJob(ConvolutionGeometry g, int filters, float[] x, float[] weight, float[] dY,
        float[]? dX, float[]? dWeight, float[] workspace, int columnsSize, int stride, bool partialWeightGradient) : IBatchJob
    {
        public void Run(int worker, int start, int end)
        {
            int k = g.ColumnRows, p = g.ColumnCount, inputSize = g.InputSize;
            var columns = workspace.AsSpan(worker * stride, columnsSize);
            Span<float> weightGradient = dWeight is null ? default
                : partialWeightGradient ? workspace.AsSpan(worker * stride + columnsSize, filters * k)
                : dWeight.AsSpan(0, filters * k);
            for (int n = start; n < end; n++)
            {
                ReadOnlySpan<float> outputGradient = dY.AsSpan(n * filters * p, filters * p);
                if (dWeight is not null)
                {
                    ReadOnlySpan<float> image = x.AsSpan(n * inputSize, inputSize);
                    if (!g.IsPointwise)
                    {
                        Im2Col.Forward(g, image, columns);
                        image = columns;
                    }
                    Gemm.Sgemm(false, true, filters, k, p, 1f, outputGradient, p, image, p, 1f, weightGradient, k);
                }
                if (dX is not null)
                {
                    var inputGradient = dX.AsSpan(n * inputSize, inputSize);
                    if (g.IsPointwise)
                    {
                        Gemm.Sgemm(true, false, k, p, filters, 1f, weight, k, outputGradient, p, 1f, inputGradient, p);
                    }
                    else
                    {
                        Gemm.Sgemm(true, false, k, p, filters, 1f, weight, k, outputGradient, p, 0f, columns, p);
                        Im2Col.Backward(g, columns, inputGradient);
                    }
                }
            }
        }
    }
}
