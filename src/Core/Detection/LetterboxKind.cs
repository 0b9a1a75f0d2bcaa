namespace MLNetExt.Core.Detection;

/// <summary>How an image was fitted to the model's input, which <see cref="Letterbox"/> inverts.</summary>
public enum LetterboxKind
{
    /// <summary>
    /// Ultralytics' <c>LetterBox</c>: scale r = min(W′/W, H′/H), resized round(W·r)×round(H·r), the padding split as
    /// round(d − 0.1) before and round(d + 0.1) after (d half the padding, rounded half to even).
    /// </summary>
    Ultralytics = 0,

    /// <summary>
    /// ML.NET's <c>ResizeImages</c> with <c>ResizingKind.IsoPad</c>, in float as it computes it: a = min(W′/W, H′/H),
    /// the image drawn into ⌊W·a⌋×⌊H·a⌋ pixels at an offset ⌊(W′ − W·a)/2⌋ along the padded side (0 along the other).
    /// </summary>
    MLNetIsoPad = 1,

    /// <summary>ML.NET's <c>ResizingKind.Fill</c>: the image stretched to W′×H′, each axis by its own factor, no padding.</summary>
    Stretch = 2,
}
