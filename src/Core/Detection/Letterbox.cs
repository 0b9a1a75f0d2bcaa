namespace MLNetExt.Core.Detection;

/// <summary>
/// Where an original image lies on the model's input after it was fitted to it (see <see cref="LetterboxKind"/>), and
/// the inverse mapping of boxes found on the input back to the original image (Ultralytics' <c>scale_boxes</c> for
/// its letterbox).
/// </summary>
/// <remarks>
/// The image occupies [PadLeft, PadLeft + ResizedWidth) × [PadTop, PadTop + ResizedHeight) of the W′×H′ input, scaled
/// by <see cref="ScaleX"/> and <see cref="ScaleY"/> (equal but for ML.NET's truncations and Stretch). A box maps back
/// as x = (x′ − PadLeft)/ScaleX, y = (y′ − PadTop)/ScaleY, clipped to [0, W] × [0, H].
/// </remarks>
public readonly record struct Letterbox
{
    private Letterbox(int originalWidth, int originalHeight, int targetWidth, int targetHeight, float scaleX, float scaleY,
        int resizedWidth, int resizedHeight, int padLeft, int padTop)
    {
        OriginalWidth = originalWidth;
        OriginalHeight = originalHeight;
        TargetWidth = targetWidth;
        TargetHeight = targetHeight;
        ScaleX = scaleX;
        ScaleY = scaleY;
        ResizedWidth = resizedWidth;
        ResizedHeight = resizedHeight;
        PadLeft = padLeft;
        PadTop = padTop;
    }

    /// <summary>The original image's width in pixels.</summary>
    public int OriginalWidth { get; }

    /// <summary>The original image's height in pixels.</summary>
    public int OriginalHeight { get; }

    /// <summary>The model input's width in pixels.</summary>
    public int TargetWidth { get; }

    /// <summary>The model input's height in pixels.</summary>
    public int TargetHeight { get; }

    /// <summary>Input pixels per original pixel along x.</summary>
    public float ScaleX { get; }

    /// <summary>Input pixels per original pixel along y.</summary>
    public float ScaleY { get; }

    /// <summary>The width the image occupies on the input.</summary>
    public int ResizedWidth { get; }

    /// <summary>The height the image occupies on the input.</summary>
    public int ResizedHeight { get; }

    /// <summary>Padding columns on the left.</summary>
    public int PadLeft { get; }

    /// <summary>Padding columns on the right.</summary>
    public int PadRight => TargetWidth - ResizedWidth - PadLeft;

    /// <summary>Padding rows on the top.</summary>
    public int PadTop { get; }

    /// <summary>Padding rows on the bottom.</summary>
    public int PadBottom => TargetHeight - ResizedHeight - PadTop;

    /// <summary>The geometry of fitting a W×H image to a W′×H′ input in the given way.</summary>
    /// <param name="originalWidth">W (pixels, at least 1).</param>
    /// <param name="originalHeight">H (pixels, at least 1).</param>
    /// <param name="targetWidth">W′ (pixels, at least 1).</param>
    /// <param name="targetHeight">H′ (pixels, at least 1).</param>
    /// <param name="kind">How the image was fitted.</param>
    /// <param name="allowUpscale">Ultralytics only: when false, an image smaller than the input is padded, not enlarged (<c>scaleup=False</c>).</param>
    /// <exception cref="ArgumentOutOfRangeException">A size is below 1, or <paramref name="kind"/> is unknown.</exception>
    public static Letterbox Fit(int originalWidth, int originalHeight, int targetWidth, int targetHeight,
        LetterboxKind kind = LetterboxKind.Ultralytics, bool allowUpscale = true)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(originalWidth, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(originalHeight, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(targetWidth, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(targetHeight, 1);
        switch (kind)
        {
            case LetterboxKind.Ultralytics:
            {
                double scale = Math.Min((double)targetWidth / originalWidth, (double)targetHeight / originalHeight);
                if (!allowUpscale) scale = Math.Min(scale, 1.0);
                int resizedWidth = (int)Math.Round(originalWidth * scale, MidpointRounding.ToEven);
                int resizedHeight = (int)Math.Round(originalHeight * scale, MidpointRounding.ToEven);
                int padLeft = (int)Math.Round((targetWidth - resizedWidth) / 2.0 - 0.1, MidpointRounding.ToEven);
                int padTop = (int)Math.Round((targetHeight - resizedHeight) / 2.0 - 0.1, MidpointRounding.ToEven);
                return new Letterbox(originalWidth, originalHeight, targetWidth, targetHeight, (float)scale, (float)scale,
                    resizedWidth, resizedHeight, padLeft, padTop);
            }
            case LetterboxKind.MLNetIsoPad:
            {
                // MLImage.ResizeWithPadding, operation for operation (float32, truncating casts).
                float widthAspect = (float)targetWidth / originalWidth;
                float heightAspect = (float)targetHeight / originalHeight;
                bool tall = heightAspect < widthAspect;
                float aspect = tall ? heightAspect : widthAspect;
                int padLeft = tall ? (int)((targetWidth - originalWidth * aspect) / 2) : 0;
                int padTop = tall ? 0 : (int)((targetHeight - originalHeight * aspect) / 2);
                int resizedWidth = (int)(originalWidth * aspect);
                int resizedHeight = (int)(originalHeight * aspect);
                return new Letterbox(originalWidth, originalHeight, targetWidth, targetHeight,
                    (float)resizedWidth / originalWidth, (float)resizedHeight / originalHeight, resizedWidth, resizedHeight, padLeft, padTop);
            }
            case LetterboxKind.Stretch:
                return new Letterbox(originalWidth, originalHeight, targetWidth, targetHeight,
                    (float)targetWidth / originalWidth, (float)targetHeight / originalHeight, targetWidth, targetHeight, 0, 0);
            default:
                throw new ArgumentOutOfRangeException(nameof(kind), kind, "Unknown letterbox kind.");
        }
    }

    /// <summary>
    /// Maps xyxy boxes on the model's input back to the original image, in place: x = (x′ − PadLeft)/ScaleX,
    /// y = (y′ − PadTop)/ScaleY, then clipped to [0, W] × [0, H].
    /// </summary>
    /// <param name="boxes">[N, 4] xyxy boxes in model-input pixels; overwritten with original-image pixels.</param>
    /// <exception cref="ArgumentException">The length is not a multiple of 4.</exception>
    public void MapToOriginal(Span<float> boxes)
    {
        BoxSpans.RequireBoxes(boxes, nameof(boxes));
        for (int i = 0; i < boxes.Length; i += 4)
        {
            boxes[i] = Math.Clamp((boxes[i] - PadLeft) / ScaleX, 0f, OriginalWidth);
            boxes[i + 1] = Math.Clamp((boxes[i + 1] - PadTop) / ScaleY, 0f, OriginalHeight);
            boxes[i + 2] = Math.Clamp((boxes[i + 2] - PadLeft) / ScaleX, 0f, OriginalWidth);
            boxes[i + 3] = Math.Clamp((boxes[i + 3] - PadTop) / ScaleY, 0f, OriginalHeight);
        }
    }
}
