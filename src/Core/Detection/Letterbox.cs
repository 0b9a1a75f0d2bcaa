namespace MLNetExt.Core.Detection;

/// <summary>
/// The geometry of a letterbox resize (Ultralytics' <c>LetterBox</c>): the image is scaled by one factor to fit the
/// model's input, keeping its aspect ratio, and the rest is padded evenly on both sides; <see cref="MapToOriginal"/>
/// takes boxes found on the model's input back to the original image (Ultralytics' <c>scale_boxes</c>).
/// </summary>
/// <remarks>
/// With the original W×H and the target W′×H′: scale r = min(W′/W, H′/H) (capped at 1 without upscaling); the resized
/// image is round(W·r)×round(H·r); the padding is d = (W′ − round(W·r))/2 horizontally and likewise vertically, split
/// as left = round(d − 0.1), right = round(d + 0.1) (top, bottom alike). Rounding is to even, as Python's
/// <c>round</c>. A box maps back as x = (x′ − left)/r, y = (y′ − top)/r, clipped to [0, W] × [0, H].
/// </remarks>
public readonly record struct Letterbox
{
    /// <summary>The original image's width in pixels.</summary>
    public int OriginalWidth { get; }

    /// <summary>The original image's height in pixels.</summary>
    public int OriginalHeight { get; }

    /// <summary>The model input's width in pixels.</summary>
    public int TargetWidth { get; }

    /// <summary>The model input's height in pixels.</summary>
    public int TargetHeight { get; }

    /// <summary>The factor r applied to both sides of the original image.</summary>
    public float Scale { get; }

    /// <summary>The width of the scaled image, round(W·r).</summary>
    public int ResizedWidth { get; }

    /// <summary>The height of the scaled image, round(H·r).</summary>
    public int ResizedHeight { get; }

    /// <summary>Padding columns on the left.</summary>
    public int PadLeft { get; }

    /// <summary>Padding columns on the right.</summary>
    public int PadRight { get; }

    /// <summary>Padding rows on the top.</summary>
    public int PadTop { get; }

    /// <summary>Padding rows on the bottom.</summary>
    public int PadBottom { get; }

    /// <summary>Computes the letterbox of an original image into a target size.</summary>
    /// <param name="originalWidth">The original width (pixels, at least 1).</param>
    /// <param name="originalHeight">The original height (pixels, at least 1).</param>
    /// <param name="targetWidth">The model input's width (pixels, at least 1).</param>
    /// <param name="targetHeight">The model input's height (pixels, at least 1).</param>
    /// <param name="allowUpscale">When false, an image smaller than the target is padded, not enlarged (Ultralytics' <c>scaleup=False</c>).</param>
    /// <exception cref="ArgumentOutOfRangeException">A size is below 1.</exception>
    public Letterbox(int originalWidth, int originalHeight, int targetWidth, int targetHeight, bool allowUpscale = true)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(originalWidth, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(originalHeight, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(targetWidth, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(targetHeight, 1);
        OriginalWidth = originalWidth;
        OriginalHeight = originalHeight;
        TargetWidth = targetWidth;
        TargetHeight = targetHeight;
        double scale = Math.Min((double)targetWidth / originalWidth, (double)targetHeight / originalHeight);
        if (!allowUpscale) scale = Math.Min(scale, 1.0);
        Scale = (float)scale;
        ResizedWidth = (int)Math.Round(originalWidth * scale, MidpointRounding.ToEven);
        ResizedHeight = (int)Math.Round(originalHeight * scale, MidpointRounding.ToEven);
        double padX = (targetWidth - ResizedWidth) / 2.0;
        double padY = (targetHeight - ResizedHeight) / 2.0;
        PadLeft = (int)Math.Round(padX - 0.1, MidpointRounding.ToEven);
        PadRight = (int)Math.Round(padX + 0.1, MidpointRounding.ToEven);
        PadTop = (int)Math.Round(padY - 0.1, MidpointRounding.ToEven);
        PadBottom = (int)Math.Round(padY + 0.1, MidpointRounding.ToEven);
    }

    /// <summary>
    /// Maps xyxy boxes on the model's input back to the original image, in place: x = (x′ − left)/r,
    /// y = (y′ − top)/r, then clipped to [0, W] × [0, H].
    /// </summary>
    /// <param name="boxes">[N, 4] xyxy boxes in model-input pixels; overwritten with original-image pixels.</param>
    /// <exception cref="ArgumentException">The length is not a multiple of 4.</exception>
    public void MapToOriginal(Span<float> boxes)
    {
        BoxSpans.RequireBoxes(boxes, nameof(boxes));
        for (int i = 0; i < boxes.Length; i += 4)
        {
            boxes[i] = Math.Clamp((boxes[i] - PadLeft) / Scale, 0f, OriginalWidth);
            boxes[i + 1] = Math.Clamp((boxes[i + 1] - PadTop) / Scale, 0f, OriginalHeight);
            boxes[i + 2] = Math.Clamp((boxes[i + 2] - PadLeft) / Scale, 0f, OriginalWidth);
            boxes[i + 3] = Math.Clamp((boxes[i + 3] - PadTop) / Scale, 0f, OriginalHeight);
        }
    }
}
