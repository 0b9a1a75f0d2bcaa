using FluentAssertions;
using MLNetExt.Core.Detection;

namespace MLNetExt.Core.Tests.Detection;

public class LetterboxTests
{
    [Fact]
    public void Fits_a_landscape_image_with_bands_top_and_bottom()
    {
        // 640×480 into 416×416: r = 0.65, 416×312, 104 rows of padding split 52/52.
        var letterbox = new Letterbox(640, 480, 416, 416);
        letterbox.Scale.Should().Be(0.65f);
        (letterbox.ResizedWidth, letterbox.ResizedHeight).Should().Be((416, 312));
        (letterbox.PadLeft, letterbox.PadRight, letterbox.PadTop, letterbox.PadBottom).Should().Be((0, 0, 52, 52));
    }

    [Fact]
    public void Splits_odd_padding_as_ultralytics_does()
    {
        // 100×97 into 100×100: r = 1, 3 rows of padding, d = 1.5: top round(1.4) = 1, bottom round(1.6) = 2.
        var letterbox = new Letterbox(100, 97, 100, 100);
        (letterbox.PadTop, letterbox.PadBottom).Should().Be((1, 2));
    }

    [Fact]
    public void Without_upscaling_a_small_image_is_padded_not_enlarged()
    {
        var letterbox = new Letterbox(200, 100, 640, 640, allowUpscale: false);
        letterbox.Scale.Should().Be(1f);
        (letterbox.PadLeft, letterbox.PadTop).Should().Be((220, 270));
    }

    [Fact]
    public void Maps_boxes_back_to_the_original_image_and_clips_them()
    {
        var letterbox = new Letterbox(640, 480, 416, 416);
        // The box (65, 52+65, 130, 52+130) on the input is (100, 100, 200, 200) on the original; the second box
        // reaches into the padding and is clipped to the image.
        float[] boxes = [65, 117, 130, 182, -10, 40, 500, 400];
        letterbox.MapToOriginal(boxes);
        boxes[..4].Should().Equal(100, 100, 200, 200);
        boxes[4..].Should().Equal(0, 0, 640, 480);
    }

    [Fact]
    public void Rejects_an_empty_size()
    {
        var empty = () => new Letterbox(0, 10, 416, 416);
        empty.Should().Throw<ArgumentOutOfRangeException>().WithParameterName("originalWidth");
    }
}
