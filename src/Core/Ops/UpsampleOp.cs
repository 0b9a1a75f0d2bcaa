using System.Collections.Concurrent;
using MLNetExt.Core.Autograd;

namespace MLNetExt.Core.Ops;

/// <summary>
/// Spatial resampling of [N, C, H, W] feature maps, <c>torch.nn.functional.interpolate</c> in modes
/// <c>"nearest"</c> and <c>"bilinear"</c>, with PyTorch's index arithmetic.
/// </summary>
/// <remarks>
/// Along each axis, with input size I, output size O and scale r = 1/scale_factor when a scale factor was given,
/// I/O otherwise:
/// <code>
/// Nearest:  y[.., o] = x[.., min(⌊o·r⌋, I − 1)]
/// Bilinear: s = r·(o + ½) − ½ clamped at 0 (align_corners = false), or s = o·(I − 1)/(O − 1) (align_corners = true);
///           i0 = ⌊s⌋, i1 = min(i0 + 1, I − 1), λ = s − i0; y = (1 − λ)·x[i0] + λ·x[i1], applied along H then W
/// Backward: the transpose: every input pixel collects each output gradient times the weight it contributed with.
/// </code>
/// </remarks>
public static class UpsampleOp
{
    /// <summary>Resamples to a fixed size. Shapes: x [N, C, H, W] → y [N, C, size.Height, size.Width].</summary>
    /// <exception cref="ArgumentException">x is not rank 4 or is empty in a spatial dimension, or align_corners was asked of nearest mode.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A target size is below 1.</exception>
    public static Tensor Forward(Tensor x, (int Height, int Width) size, UpsampleMode mode = UpsampleMode.Nearest,
        bool alignCorners = false, Tape? tape = null)
    {
        if (size.Height < 1 || size.Width < 1)
            throw new ArgumentOutOfRangeException(nameof(size), size, "Upsample output sizes must be at least 1.");
        CheckInput(x, mode, alignCorners);
        return Run(x, new UpsampleSettings(mode, alignCorners, null, null), size.Height, size.Width, tape);
    }

    /// <summary>
    /// Resamples by a scale factor: output size ⌊H·scale⌋ × ⌊W·scale⌋, and the factor itself (not the rounded size
    /// ratio) drives the index arithmetic, as in PyTorch. Shapes: x [N, C, H, W] → y [N, C, ⌊H·sH⌋, ⌊W·sW⌋].
    /// </summary>
    /// <exception cref="ArgumentException">x is not rank 4, the output would be empty, or align_corners was asked of nearest mode.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A scale factor is not positive and finite.</exception>
    public static Tensor ForwardScaled(Tensor x, (double Height, double Width) scaleFactor, UpsampleMode mode = UpsampleMode.Nearest,
        bool alignCorners = false, Tape? tape = null)
    {
        if (!(scaleFactor.Height > 0 && scaleFactor.Width > 0 && double.IsFinite(scaleFactor.Height) && double.IsFinite(scaleFactor.Width)))
            throw new ArgumentOutOfRangeException(nameof(scaleFactor), scaleFactor, "Upsample scale factors must be positive and finite.");
        CheckInput(x, mode, alignCorners);
        int height = (int)Math.Floor(x.Dim(2) * scaleFactor.Height), width = (int)Math.Floor(x.Dim(3) * scaleFactor.Width);
        if (height < 1 || width < 1)
            throw new ArgumentException($"Upsample by ({scaleFactor.Height}, {scaleFactor.Width}) turns input {ShapeText.Of(x)} into an empty {height}×{width} map.", nameof(scaleFactor));
        return Run(x, new UpsampleSettings(mode, alignCorners, scaleFactor.Height, scaleFactor.Width), height, width, tape);
    }

    private static void CheckInput(Tensor x, UpsampleMode mode, bool alignCorners)
    {
        ArgumentNullException.ThrowIfNull(x);
        if (x.Rank != 4 || x.Dim(2) == 0 || x.Dim(3) == 0)
            throw new ArgumentException($"Upsample expects input [N, C, H, W] with H, W ≥ 1 but got {ShapeText.Of(x)}.", nameof(x));
        if (mode is not (UpsampleMode.Nearest or UpsampleMode.Bilinear))
            throw new ArgumentOutOfRangeException(nameof(mode), mode, "Unknown upsample mode.");
        if (alignCorners && mode == UpsampleMode.Nearest)
            throw new ArgumentException("align_corners applies only to bilinear upsampling, not nearest.", nameof(alignCorners));
    }

    private static Tensor Run(Tensor x, in UpsampleSettings settings, int height, int width, Tape? tape)
    {
        var y = Tape.Allocate(tape, [x.Dim(0), x.Dim(1), height, width], clear: false);
        Sweep(settings, x, y, forward: true);
        if (Tape.ShouldRecord(tape, x)) tape!.Record(new TapeNode(UpsampleBackward.For(settings), y, x));
        return y;
    }

    /// <summary>Forward gathers y from x; backward scatters dY into dX with the same indices and weights.</summary>
    private static void Sweep(in UpsampleSettings s, Tensor x, Tensor y, bool forward)
    {
        int planes = x.Dim(0) * x.Dim(1), inHeight = x.Dim(2), inWidth = x.Dim(3), outHeight = y.Dim(2), outWidth = y.Dim(3);
        int inPlane = inHeight * inWidth, outPlane = outHeight * outWidth;
        var input = forward ? x.Span : Tape.GradOf(x);
        var output = forward ? y.Span : y.Grad!.Span;
        if (s.Mode == UpsampleMode.Nearest)
        {
            float rowScale = Ratio(s.ScaleHeight, inHeight, outHeight), columnScale = Ratio(s.ScaleWidth, inWidth, outWidth);
            for (int p = 0; p < planes; p++)
            {
                var image = input.Slice(p * inPlane, inPlane);
                var result = output.Slice(p * outPlane, outPlane);
                for (int oh = 0; oh < outHeight; oh++)
                {
                    int rowStart = NearestIndex(oh, inHeight, outHeight, rowScale) * inWidth;
                    for (int ow = 0; ow < outWidth; ow++)
                    {
                        int source = rowStart + NearestIndex(ow, inWidth, outWidth, columnScale);
                        if (forward) result[oh * outWidth + ow] = image[source];
                        else image[source] += result[oh * outWidth + ow];
                    }
                }
            }
            return;
        }

        float rowRatio = LinearRatio(s, s.ScaleHeight, inHeight, outHeight), columnRatio = LinearRatio(s, s.ScaleWidth, inWidth, outWidth);
        for (int p = 0; p < planes; p++)
        {
            var image = input.Slice(p * inPlane, inPlane);
            var result = output.Slice(p * outPlane, outPlane);
            for (int oh = 0; oh < outHeight; oh++)
            {
                var (h0, h1, top) = LinearIndex(oh, inHeight, rowRatio, s.AlignCorners);
                float bottom = 1f - top;
                for (int ow = 0; ow < outWidth; ow++)
                {
                    var (w0, w1, right) = LinearIndex(ow, inWidth, columnRatio, s.AlignCorners);
                    float left = 1f - right;
                    int a = h0 * inWidth + w0, b = h0 * inWidth + w1, c = h1 * inWidth + w0, d = h1 * inWidth + w1;
                    ref float o = ref result[oh * outWidth + ow];
                    if (forward)
                    {
                        o = bottom * (left * image[a] + right * image[b]) + top * (left * image[c] + right * image[d]);
                    }
                    else
                    {
                        float g = o;
                        image[a] += bottom * left * g;
                        image[b] += bottom * right * g;
                        image[c] += top * left * g;
                        image[d] += top * right * g;
                    }
                }
            }
        }
    }

    /// <summary>The source step per output pixel: 1/scale_factor when one was given, else input/output size (in float, as PyTorch).</summary>
    internal static float Ratio(double? scaleFactor, int inSize, int outSize)
        => scaleFactor is double factor ? (float)(1.0 / factor) : (float)inSize / outSize;

    private static float LinearRatio(in UpsampleSettings s, double? scaleFactor, int inSize, int outSize)
        => s.AlignCorners ? (outSize > 1 ? (float)(inSize - 1) / (outSize - 1) : 0f) : Ratio(scaleFactor, inSize, outSize);

    /// <summary>The input index nearest mode copies to output index <paramref name="outIndex"/>, with PyTorch's exact shortcuts for equal and doubled sizes.</summary>
    internal static int NearestIndex(int outIndex, int inSize, int outSize, float ratio)
        => outSize == inSize ? outIndex
            : outSize == 2 * inSize ? outIndex >> 1
            : Math.Min((int)MathF.Floor(outIndex * ratio), inSize - 1);

    /// <summary>The two neighbouring input indices and the weight λ of the second.</summary>
    private static (int First, int Second, float Lambda) LinearIndex(int outIndex, int inSize, float ratio, bool alignCorners)
    {
        float source = alignCorners ? ratio * outIndex : MathF.Max((float)(ratio * (outIndex + 0.5) - 0.5), 0f);
        int first = Math.Min((int)source, inSize - 1);
        int second = first < inSize - 1 ? first + 1 : first;
        return (first, second, source - first);
    }

    private readonly record struct UpsampleSettings(UpsampleMode Mode, bool AlignCorners, double? ScaleHeight, double? ScaleWidth);

    /// <summary>One shared instance per setting (a flyweight), so recording allocates nothing in steady state.</summary>
    private sealed class UpsampleBackward : IBackward
    {
        private static readonly ConcurrentDictionary<UpsampleSettings, UpsampleBackward> s_instances = new();
        private readonly UpsampleSettings _settings;

        private UpsampleBackward(UpsampleSettings settings) => _settings = settings;

        public static UpsampleBackward For(in UpsampleSettings settings)
            => s_instances.GetOrAdd(settings, static s => new UpsampleBackward(s));

        public void Backward(Tape tape, in TapeNode node) => Sweep(_settings, node.A!, node.Output, forward: false);
    }
}
