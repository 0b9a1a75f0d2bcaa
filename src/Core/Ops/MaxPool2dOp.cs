using System.Runtime.InteropServices;
using MLNetExt.Core.Autograd;

namespace MLNetExt.Core.Ops;

/// <summary>
/// 2-D max pooling, <c>torch.nn.functional.max_pool2d</c> (padding counts as −∞, <c>ceil_mode=False</c>).
/// </summary>
/// <remarks>
/// Shapes:
/// <code>
/// Forward:  x [N, C, H, W] → y [N, C, OH, OW], OH = ⌊(H + 2·PH − KH)/SH⌋ + 1
///           y[n, c, oh, ow] = max over the window at (oh·SH − PH, ow·SW − PW); argmax = flat index ih·W + iw of the
///           first maximum in row-major window order (PyTorch's tie rule; a NaN counts as the maximum)
/// Backward: dX[n, c, argmax] += dY[n, c, oh, ow]
/// </code>
/// </remarks>
public static class MaxPool2dOp
{
    /// <summary>Max pooling over <paramref name="kernelSize"/> windows. Shapes: x [N, C, H, W] → y [N, C, OH, OW].</summary>
    /// <exception cref="ArgumentException">x is not rank 4 or the window does not fit the padded input.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A kernel size or stride is below 1, or a padding is negative or more than half the kernel.</exception>
    public static Tensor Forward(Tensor x, (int Height, int Width) kernelSize, (int Height, int Width) stride,
        (int Height, int Width) padding, Tape? tape = null)
    {
        ArgumentNullException.ThrowIfNull(x);
        var settings = PoolingSettings.Create("MaxPool2d", kernelSize, stride, padding);
        var (outputHeight, outputWidth) = settings.OutputSize("MaxPool2d", x.Shape);
        ReadOnlySpan<int> shape = [x.Dim(0), x.Dim(1), outputHeight, outputWidth];
        var y = Tape.Allocate(tape, shape, clear: false);
        bool record = Tape.ShouldRecord(tape, x);
        var argmax = record ? Tape.Allocate(tape, shape, clear: false) : null;
        Forward(settings, x.Shape, shape, x.Span, y.Span, argmax is null ? default : MemoryMarshal.Cast<float, int>(argmax.Span));
        if (record) tape!.Record(new TapeNode(MaxPool2dBackward.Instance, y, x, Saved: argmax));
        return y;
    }

    private static void Forward(in PoolingSettings s, ReadOnlySpan<int> inputShape, ReadOnlySpan<int> outputShape, ReadOnlySpan<float> x, Span<float> y, Span<int> argmax)
    {
        int planes = inputShape[0] * inputShape[1], height = inputShape[2], width = inputShape[3];
        int outputHeight = outputShape[2], outputWidth = outputShape[3];
        int inPlane = height * width, outPlane = outputHeight * outputWidth;
        for (int p = 0; p < planes; p++)
        {
            var image = x.Slice(p * inPlane, inPlane);
            for (int oh = 0; oh < outputHeight; oh++)
            {
                int top = oh * s.StrideHeight - s.PaddingHeight;
                int h0 = Math.Max(top, 0), h1 = Math.Min(top + s.KernelHeight, height);
                for (int ow = 0; ow < outputWidth; ow++)
                {
                    int left = ow * s.StrideWidth - s.PaddingWidth;
                    int w0 = Math.Max(left, 0), w1 = Math.Min(left + s.KernelWidth, width);
                    int best = h0 * width + w0;
                    float max = float.NegativeInfinity;
                    for (int ih = h0; ih < h1; ih++)
                        for (int iw = w0; iw < w1; iw++)
                        {
                            float v = image[ih * width + iw];
                            if (v > max || float.IsNaN(v))
                            {
                                max = v;
                                best = ih * width + iw;
                            }
                        }
                    int o = p * outPlane + oh * outputWidth + ow;
                    y[o] = max;
                    if (!argmax.IsEmpty) argmax[o] = best;
                }
            }
        }
    }

    /// <summary>Routes each output gradient to its saved argmax (indices stored bit-for-bit in a float arena tensor).</summary>
    private sealed class MaxPool2dBackward : IBackward
    {
        public static readonly MaxPool2dBackward Instance = new();

        public void Backward(Tape tape, in TapeNode node)
        {
            Tensor x = node.A!, y = node.Output;
            var dY = y.Grad!.Span;
            var dX = Tape.GradOf(x);
            ReadOnlySpan<int> argmax = MemoryMarshal.Cast<float, int>(node.Saved!.Span);
            int planes = x.Dim(0) * x.Dim(1), inPlane = x.Dim(2) * x.Dim(3), outPlane = y.Dim(2) * y.Dim(3);
            for (int p = 0; p < planes; p++)
            {
                var planeGradient = dX.Slice(p * inPlane, inPlane);
                for (int o = p * outPlane, end = o + outPlane; o < end; o++) planeGradient[argmax[o]] += dY[o];
            }
        }
    }
}
