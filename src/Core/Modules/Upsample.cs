using MLNetExt.Core.Autograd;
using MLNetExt.Core.Ops;

namespace MLNetExt.Core.Modules;

/// <summary>
/// Spatial upsampling, <c>torch.nn.Upsample</c> in modes nearest and bilinear (see <see cref="UpsampleOp"/>), to a
/// fixed size or by a scale factor. Shapes: input [N, C, H, W] → output [N, C, size] or [N, C, ⌊H·s⌋, ⌊W·s⌋]. No parameters.
/// </summary>
public sealed class Upsample : Module
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

    private static void CheckMode(UpsampleMode mode, bool alignCorners)
    {
        if (mode is not (UpsampleMode.Nearest or UpsampleMode.Bilinear))
            throw new ArgumentOutOfRangeException(nameof(mode), mode, "Unknown upsample mode.");
        if (alignCorners && mode == UpsampleMode.Nearest)
            throw new ArgumentException("align_corners applies only to bilinear upsampling, not nearest.", nameof(alignCorners));
    }
}
