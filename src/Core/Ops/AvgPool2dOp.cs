using System.Collections.Concurrent;
using MLNetExt.Core.Autograd;

namespace MLNetExt.Core.Ops;

/// <summary>
/// 2-D average pooling, <c>torch.nn.functional.avg_pool2d</c> (<c>ceil_mode=False</c>).
/// </summary>
/// <remarks>
/// Shapes:
/// <code>
/// Forward:  x [N, C, H, W] → y [N, C, OH, OW], OH = ⌊(H + 2·PH − KH)/SH⌋ + 1
///           y[n, c, oh, ow] = Σ(window ∩ input) x / d, where d = KH·KW when padding is counted
///           (count_include_pad, PyTorch's default) and the number of real input elements in the window otherwise
/// Backward: dX[n, c, ih, iw] += dY[n, c, oh, ow] / d for every window containing (ih, iw)
/// </code>
/// </remarks>
public static class AvgPool2dOp
{
    /// <summary>Average pooling over <paramref name="kernelSize"/> windows. Shapes: x [N, C, H, W] → y [N, C, OH, OW].</summary>
    /// <exception cref="ArgumentException">x is not rank 4 or the window does not fit the padded input.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A kernel size or stride is below 1, or a padding is negative or more than half the kernel.</exception>
    public static Tensor Forward(Tensor x, (int Height, int Width) kernelSize, (int Height, int Width) stride,
        (int Height, int Width) padding, bool countIncludePad = true, Tape? tape = null)
    {
        ArgumentNullException.ThrowIfNull(x);
        var settings = PoolingSettings.Create("AvgPool2d", kernelSize, stride, padding, countIncludePad);
        var (outputHeight, outputWidth) = settings.OutputSize("AvgPool2d", x.Shape);
        var y = Tape.Allocate(tape, [x.Dim(0), x.Dim(1), outputHeight, outputWidth], clear: false);
        Sweep(settings, x, y, forward: true);
        if (Tape.ShouldRecord(tape, x)) tape!.Record(new TapeNode(AvgPool2dBackward.For(settings), y, x));
        return y;
    }

    /// <summary>
    /// Visits every window once: forward writes y = mean(x over window); backward adds dY / d to dX over the window.
    /// </summary>
    private static void Sweep(in PoolingSettings s, Tensor x, Tensor y, bool forward)
    {
        int planes = x.Dim(0) * x.Dim(1), height = x.Dim(2), width = x.Dim(3);
        int outputHeight = y.Dim(2), outputWidth = y.Dim(3);
        int inPlane = height * width, outPlane = outputHeight * outputWidth;
        var input = forward ? x.Span : Tape.GradOf(x);
        var output = forward ? y.Span : y.Grad!.Span;
        for (int p = 0; p < planes; p++)
        {
            var image = input.Slice(p * inPlane, inPlane);
            for (int oh = 0; oh < outputHeight; oh++)
            {
                int top = oh * s.StrideHeight - s.PaddingHeight;
                int h0 = Math.Max(top, 0), h1 = Math.Min(top + s.KernelHeight, height);
                for (int ow = 0; ow < outputWidth; ow++)
                {
                    int left = ow * s.StrideWidth - s.PaddingWidth;
                    int w0 = Math.Max(left, 0), w1 = Math.Min(left + s.KernelWidth, width);
                    float divisor = s.CountIncludePad
                        ? (Math.Min(top + s.KernelHeight, height + s.PaddingHeight) - top) * (Math.Min(left + s.KernelWidth, width + s.PaddingWidth) - left)
                        : (h1 - h0) * (w1 - w0);
                    ref float o = ref output[p * outPlane + oh * outputWidth + ow];
                    if (forward)
                    {
                        float sum = 0f;
                        for (int ih = h0; ih < h1; ih++)
                            for (int iw = w0; iw < w1; iw++) sum += image[ih * width + iw];
                        o = sum / divisor;
                    }
                    else
                    {
                        float share = o / divisor;
                        for (int ih = h0; ih < h1; ih++)
                            for (int iw = w0; iw < w1; iw++) image[ih * width + iw] += share;
                    }
                }
            }
        }
    }

    /// <summary>One shared instance per pooling setting (a flyweight), so recording allocates nothing in steady state.</summary>
    private sealed class AvgPool2dBackward : IBackward
    {
        private static readonly ConcurrentDictionary<PoolingSettings, AvgPool2dBackward> s_instances = new();
        private readonly PoolingSettings _settings;

        private AvgPool2dBackward(PoolingSettings settings) => _settings = settings;

        public static AvgPool2dBackward For(in PoolingSettings settings)
            => s_instances.GetOrAdd(settings, static s => new AvgPool2dBackward(s));

        public void Backward(Tape tape, in TapeNode node) => Sweep(_settings, node.A!, node.Output, forward: false);
    }
}
