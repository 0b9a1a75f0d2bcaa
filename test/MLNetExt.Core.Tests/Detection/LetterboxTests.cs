using FluentAssertions;
using MLNetExt.Core.Detection;

namespace MLNetExt.Core.Tests.Detection;

public class LetterboxTests
{
    [Fact]
    public void Fits_a_landscape_image_with_bands_top_and_bottom()
    {
        // 640×480 into 416×416: r = 0.65, 416×312, 104 rows of padding split 52/52.
        var letterbox = Letterbox.Fit(640, 480, 416, 416);
        (letterbox.ScaleX, letterbox.ScaleY).Should().Be((0.65f, 0.65f));
        (letterbox.ResizedWidth, letterbox.ResizedHeight).Should().Be((416, 312));
        (letterbox.PadLeft, letterbox.PadRight, letterbox.PadTop, letterbox.PadBottom).Should().Be((0, 0, 52, 52));
    }

    [Fact]
    public void Splits_odd_padding_as_ultralytics_does()
    {
        // 100×97 into 100×100: r = 1, 3 rows of padding, d = 1.5: top round(1.4) = 1, bottom round(1.6) = 2.
        var letterbox = Letterbox.Fit(100, 97, 100, 100);
        (letterbox.PadTop, letterbox.PadBottom).Should().Be((1, 2));
    }

    [Fact]
    public void Without_upscaling_a_small_image_is_padded_not_enlarged()
    {
        var letterbox = Letterbox.Fit(200, 100, 640, 640, allowUpscale: false);
        (letterbox.ScaleX, letterbox.ScaleY).Should().Be((1f, 1f));
        (letterbox.PadLeft, letterbox.PadTop).Should().Be((220, 270));
    }

    [Fact]
    public void Maps_boxes_back_to_the_original_image_and_clips_them()
    {
        var letterbox = Letterbox.Fit(640, 480, 416, 416);
        // The box (65, 52+65, 130, 52+130) on the input is (100, 100, 200, 200) on the original; the second box
        // reaches into the padding and is clipped to the image.
        float[] boxes = [65, 117, 130, 182, -10, 40, 500, 400];
        letterbox.MapToOriginal(boxes);
        boxes[..4].Should().Equal(100, 100, 200, 200);
        boxes[4..].Should().Equal(0, 0, 640, 480);
    }

    [Fact]
    public void Follows_mlnet_isopad_truncations_where_they_differ_from_ultralytics()
    {
        // 300×211 into 640×640: ML.NET draws ⌊211·(640f/300)⌋ = 450 rows from row ⌊(640 − 450.13)/2⌋ = 94;
        // Ultralytics resizes to round(450.13) = 450 rows too but pads round(95 − 0.1) = 95.
        var isoPad = Letterbox.Fit(300, 211, 640, 640, LetterboxKind.MLNetIsoPad);
        (isoPad.ResizedWidth, isoPad.ResizedHeight, isoPad.PadLeft, isoPad.PadTop).Should().Be((640, 450, 0, 94));
        (isoPad.PadRight, isoPad.PadBottom).Should().Be((0, 96));
        Letterbox.Fit(300, 211, 640, 640).PadTop.Should().Be(95);
        // A tall image pads on the left instead (300×321: 598 columns from column 20, Ultralytics 21), and each axis
        // scales by its drawn size, so the drawn area maps back onto the whole image.
        var tall = Letterbox.Fit(300, 321, 640, 640, LetterboxKind.MLNetIsoPad);
        (tall.ResizedWidth, tall.ResizedHeight, tall.PadLeft, tall.PadTop).Should().Be((598, 640, 20, 0));
        Letterbox.Fit(300, 321, 640, 640).PadLeft.Should().Be(21);
        float[] box = [20, 0, 618, 640];
        tall.MapToOriginal(box);
        box.Should().Equal([0, 0, 300, 321], (a, b) => Math.Abs(a - b) < 1e-4f);
    }

    [Fact]
    public void Stretch_scales_each_axis_on_its_own()
    {
        var stretch = Letterbox.Fit(800, 400, 400, 400, LetterboxKind.Stretch);
        (stretch.ScaleX, stretch.ScaleY, stretch.PadLeft, stretch.PadTop).Should().Be((0.5f, 1f, 0, 0));
        float[] box = [100, 100, 200, 300];
        stretch.MapToOriginal(box);
        box.Should().Equal(200, 100, 400, 300);
    }

    [Fact]
    public void Rejects_an_empty_size()
    {
        var empty = () => Letterbox.Fit(0, 10, 416, 416);
        empty.Should().Throw<ArgumentOutOfRangeException>().WithParameterName("originalWidth");
    }
}
