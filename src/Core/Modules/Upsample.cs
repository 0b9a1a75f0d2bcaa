using MLNetExt.Core.Autograd;
using MLNetExt.Core.Ops;
using MLNetExt.Core.Onnx;

namespace MLNetExt.Core.Modules;

/// <summary>
/// Spatial upsampling, <c>torch.nn.Upsample</c> in modes nearest and bilinear (see <see cref="UpsampleOp"/>), to a
/// fixed size or by a scale factor. Shapes: input [N, C, H, W] → output [N, C, size] or [N, C, ⌊H·s⌋, ⌊W·s⌋]. No parameters.
/// </summary>
public sealed class Upsample : Module, IOnnxExportable
{
    /// <summary>Upsamples by <paramref name="scaleFactor"/> along both axes.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The scale factor is not positive and finite.</exception>
    /// <exception cref="ArgumentException">align_corners was asked of nearest mode.</exception>
    public Upsample(double scaleFactor, UpsampleMode mode = UpsampleMode.Nearest, bool alignCorners = false)
        : this((scaleFactor, scaleFactor), mode, alignCorners)
    {
    }

    /// <summary>Upsamples by per-axis (height, width) scale factors.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A scale factor is not positive and finite.</exception>
    /// <exception cref="ArgumentException">align_corners was asked of nearest mode.</exception>
    public Upsample((double Height, double Width) scaleFactor, UpsampleMode mode = UpsampleMode.Nearest, bool alignCorners = false)
    {
        if (!(scaleFactor.Height > 0 && scaleFactor.Width > 0 && double.IsFinite(scaleFactor.Height) && double.IsFinite(scaleFactor.Width)))
            throw new ArgumentOutOfRangeException(nameof(scaleFactor), scaleFactor, "Upsample scale factors must be positive and finite.");
        CheckMode(mode, alignCorners);
        ScaleFactor = scaleFactor;
        Mode = mode;
        AlignCorners = alignCorners;
    }

    /// <summary>Resamples to a fixed (height, width).</summary>
    /// <exception cref="ArgumentOutOfRangeException">A size is below 1.</exception>
    /// <exception cref="ArgumentException">align_corners was asked of nearest mode.</exception>
    public Upsample((int Height, int Width) size, UpsampleMode mode = UpsampleMode.Nearest, bool alignCorners = false)
    {
        if (size.Height < 1 || size.Width < 1)
            throw new ArgumentOutOfRangeException(nameof(size), size, "Upsample output sizes must be at least 1.");
        CheckMode(mode, alignCorners);
        Size = size;
        Mode = mode;
        AlignCorners = alignCorners;
    }

    /// <summary>The fixed output (height, width), or null when a scale factor is used.</summary>
    public (int Height, int Width)? Size { get; }

    /// <summary>The per-axis scale factor, or null when a fixed size is used.</summary>
    public (double Height, double Width)? ScaleFactor { get; }

    /// <summary>Nearest or bilinear.</summary>
    public UpsampleMode Mode { get; }

    /// <summary>Bilinear only: when true, the corner pixels of input and output are aligned.</summary>
    public bool AlignCorners { get; }

    /// <inheritdoc />
    public override Tensor Forward(Tensor input, Tape? tape = null)
        => Size is { } size
            ? UpsampleOp.Forward(input, size, Mode, AlignCorners, tape)
            : UpsampleOp.ForwardScaled(input, ScaleFactor!.Value, Mode, AlignCorners, tape);

    /// <inheritdoc />
    public override int[] OutputShape(ReadOnlySpan<int> inputShape)
    {
        if (inputShape.Length != 4 || inputShape[2] == 0 || inputShape[3] == 0)
            throw new ArgumentException($"Upsample expects input [N, C, H, W] with H, W ≥ 1 but got {ShapeText.Of(inputShape)}.", "input");
        if (Size is { } size) return [inputShape[0], inputShape[1], size.Height, size.Width];
        var scale = ScaleFactor!.Value;
        int height = (int)Math.Floor(inputShape[2] * scale.Height), width = (int)Math.Floor(inputShape[3] * scale.Width);
        if (height < 1 || width < 1)
            throw new ArgumentException($"Upsample by ({scale.Height}, {scale.Width}) turns input {ShapeText.Of(inputShape)} into an empty {height}×{width} map.", "input");
        return [inputShape[0], inputShape[1], height, width];
    }

    /// <summary>
    /// Emits <c>Resize</c> (X, roi omitted, then <c>scales</c> or <c>sizes</c>). Nearest: mode <c>nearest</c>,
    /// <c>asymmetric</c> coordinates and <c>floor</c> rounding, source index ⌊o / scale⌋ as PyTorch's "nearest".
    /// Bilinear: mode <c>linear</c> with <c>align_corners</c>, or else <c>half_pixel</c>: the engine's
    /// s = (o + ½)/scale − ½ clamped at 0, for an output of size 1 too, where <c>pytorch_half_pixel</c> would read 0.
    /// A fixed size passes <c>sizes</c> (N and C read from the input's shape); a scale factor passes <c>scales</c>
    /// [1, 1, sH, sW], so the runtime, like the engine and PyTorch, sizes the output ⌊H·s⌋ and maps coordinates with
    /// the factor itself rather than the ratio of the rounded sizes.
    /// Shapes: [N, C, H, W] → [N, C, OH, OW].
    /// </summary>
    /// <remarks>
    /// The runtime works in float (⌊o / scale⌋, the size ⌊s·H⌋), the engine as PyTorch (⌊o·(1/scale)⌋, the size
    /// rounded from double, and the exact shortcuts for an output of the input's size or twice it). Where the spatial
    /// sizes are fixed, the export replays the runtime's arithmetic: a differing output size is refused in bilinear
    /// mode; in nearest mode a differing size or source index makes the layer two <c>Gather</c>s of the engine's own
    /// indices instead, exact on any runtime. Bilinear coordinates may differ in the last bit, which moves the result
    /// by as little. Over a symbolic size nothing can be replayed, so bilinear mode is written as is: a scale factor
    /// whose product with the size falls within float rounding of an integer could then give a size one off.
    /// </remarks>
    /// <exception cref="NotSupportedException">Nearest mode over a symbolic height or width, unless the scale factors
    /// are powers of two (where both arithmetics are exact); or a bilinear scale factor that the runtime would round
    /// to another output size.</exception>
    OnnxValue IOnnxExportable.ExportOnnx(OnnxGraphBuilder graph, OnnxValue input, string scope)
    {
        OnnxExport.RequireFloat(input, nameof(Upsample));
        if (input.Rank != 4 || input.Shape.Skip(2).Any(d => d.Equals(OnnxDim.Fixed(0))))
            throw new ArgumentException($"Upsample expects input [N, C, H, W] with H, W ≥ 1 but got {input}.", nameof(input));
        // Powers of two make ⌊o / s⌋, ⌊o·(1/s)⌋ and the shortcuts agree for every size, so that no axis, fixed or
        // not, needs the Gather form below.
        if (Mode == UpsampleMode.Nearest && !(input.Shape[2].IsFixed && input.Shape[3].IsFixed)
            && !(ScaleFactor is { } powers && double.IsPow2(powers.Height) && double.IsPow2(powers.Width)))
            throw new NotSupportedException($"Upsample (nearest) at '{scope}' can be exported over the symbolic size in {input} only with power-of-two scale factors: otherwise ONNX's float arithmetic may pick other source pixels than the engine, which cannot be checked before the size is known.");
        var shape = new OnnxDim[] { input.Shape[0], input.Shape[1], 0, 0 };
        var indices = new long[2][];
        bool resizeMatches = true;
        for (int axis = 0; axis < 2; axis++)
        {
            OnnxDim inputDim = input.Shape[axis + 2];
            double? factor = ScaleFactor is { } f ? (axis == 0 ? f.Height : f.Width) : null;
            if (!inputDim.IsFixed)
            {
                shape[axis + 2] = Size is { } size ? (axis == 0 ? size.Height : size.Width) : OnnxDim.Named($"{input.Name}_{nameof(Upsample)}_dim{axis + 2}");
                continue;
            }
            int inSize = checked((int)inputDim.Size);
            int outSize = Size is { } fixedSize ? (axis == 0 ? fixedSize.Height : fixedSize.Width) : (int)Math.Floor(inSize * factor!.Value);
            if (outSize < 1)
                throw new ArgumentException($"Upsample by {factor} turns axis {axis + 2} of {input} into an empty map.", nameof(input));
            shape[axis + 2] = outSize;
            // The scale the runtime divides by: the factor as given, or the ratio of the sizes it derives from sizes.
            float runtimeScale = factor is double scale ? (float)scale : (float)outSize / inSize;
            bool sizeMatches = factor is null || (long)(runtimeScale * inSize) == outSize;
            if (!sizeMatches && Mode == UpsampleMode.Bilinear)
                throw new NotSupportedException($"Upsample (bilinear) at '{scope}' by {factor}: ONNX Runtime computes an output size other than the engine's {outSize} for input {input}, and bilinear weights follow the factor, so no Resize reproduces the engine.");
            if (Mode == UpsampleMode.Nearest)
            {
                indices[axis] = new long[outSize];
                float ratio = UpsampleOp.Ratio(factor, inSize, outSize);
                for (int o = 0; o < outSize; o++)
                {
                    indices[axis][o] = UpsampleOp.NearestIndex(o, inSize, outSize, ratio);
                    long runtimeIndex = Math.Clamp((long)MathF.Floor(o / runtimeScale), 0, inSize - 1);
                    resizeMatches &= runtimeIndex == indices[axis][o];
                }
                resizeMatches &= sizeMatches;
            }
        }
        if (!resizeMatches)
        {
            // x [N, C, H, W] → [N, C, OH, W] → [N, C, OH, OW]
            string rows = graph.AddNode("Gather", [input.Name, graph.Int64Constant(indices[0])], scope, OnnxAttribute.Int("axis", 2));
            return input.As(graph.AddNode("Gather", [rows, graph.Int64Constant(indices[1])], scope, OnnxAttribute.Int("axis", 3)), shape: shape);
        }

        string scales = "", sizes = "";
        if (ScaleFactor is { } scaleFactor)
        {
            var values = new Tensor(4);
            values.Span[0] = values.Span[1] = 1f;
            values.Span[2] = (float)scaleFactor.Height;
            values.Span[3] = (float)scaleFactor.Width;
            scales = graph.AddInitializer(OnnxExport.Join(scope, "onnx_scales"), values).Name;
        }
        else
        {
            var (height, width) = Size!.Value;
            string batchAndChannels = graph.AddNode("Shape", [input.Name], scope, OnnxAttribute.Int("start", 0), OnnxAttribute.Int("end", 2));
            sizes = graph.AddNode("Concat", [batchAndChannels, graph.Int64Constant(height, width)], scope, OnnxAttribute.Int("axis", 0));
        }
        string output = Mode == UpsampleMode.Nearest
            ? graph.AddNode("Resize", [input.Name, "", scales, sizes], scope,
                OnnxAttribute.String("coordinate_transformation_mode", "asymmetric"),
                OnnxAttribute.String("mode", "nearest"),
                OnnxAttribute.String("nearest_mode", "floor"))
            : graph.AddNode("Resize", [input.Name, "", scales, sizes], scope,
                OnnxAttribute.String("coordinate_transformation_mode", AlignCorners ? "align_corners" : "half_pixel"),
                OnnxAttribute.String("mode", "linear"));
        return input.As(output, shape: shape);
    }

    private static void CheckMode(UpsampleMode mode, bool alignCorners)
    {
        if (mode is not (UpsampleMode.Nearest or UpsampleMode.Bilinear))
            throw new ArgumentOutOfRangeException(nameof(mode), mode, "Unknown upsample mode.");
        if (alignCorners && mode == UpsampleMode.Nearest)
            throw new ArgumentException("align_corners applies only to bilinear upsampling, not nearest.", nameof(alignCorners));
    }
}
