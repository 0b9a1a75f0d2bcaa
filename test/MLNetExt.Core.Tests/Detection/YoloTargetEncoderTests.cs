using FluentAssertions;
using MLNetExt.Core.Detection;

namespace MLNetExt.Core.Tests.Detection;

public class YoloTargetEncoderTests
{
    [Fact]
    public void Course_notes_example_3x3_grid_2_anchors_3_classes()
    {
        // 300×300 image, 3×3 grid (100 px cells), anchor 1 tall (30×90), anchor 2 wide (90×30); classes pedestrian,
        // car, motorcycle. A pedestrian and a car have their centres in the same cell (row 2, column 1): the
        // pedestrian takes the tall anchor (shape IoU 2400/2700 against 900/4200), the car the wide one.
        var scale = new YoloGridScale(3, 3, [30, 90, 90, 30]);
        var target = new float[scale.TargetLength(3)];
        target.Should().HaveCount(3 * 3 * 2 * 8);
        float[] boxes = [135, 210, 165, 290, 110, 230, 200, 260];
        int leftOut = YoloTargetEncoder.Encode(boxes, [0, 1], 300, 300, 3, [scale], [target]);

        leftOut.Should().Be(0);
        var cell = target.AsSpan((2 * 3 + 1) * 16, 16).ToArray();
        // y = [p_c, b_x, b_y, b_h, b_w, c1, c2, c3] per anchor: the pedestrian at (150, 250), 30×80; the car at
        // (155, 245), 90×30; offsets and sizes in cells.
        cell.Should().Equal([1, 0.5f, 0.5f, 0.8f, 0.3f, 1, 0, 0, 1, 0.55f, 0.45f, 0.3f, 0.9f, 0, 1, 0], (a, b) => Math.Abs(a - b) < 1e-6f);
        target.Where((_, i) => i / 16 != 2 * 3 + 1).Should().OnlyContain(v => v == 0, "every other cell holds p_c = 0 and zeros");
    }

    [Fact]
    public void Each_object_goes_to_the_scale_of_its_best_anchor()
    {
        // Strides 32 and 16 on a 64×64 image: a small box takes the fine grid's 10×10 anchor, a large one the coarse 40×40.
        var coarse = new YoloGridScale(2, 2, [40, 40]);
        var fine = new YoloGridScale(4, 4, [10, 10]);
        var targets = new[] { new float[coarse.TargetLength(1)], new float[fine.TargetLength(1)] };
        YoloTargetEncoder.Encode([20, 20, 30, 30, 30, 10, 62, 50], [0, 0], 64, 64, 1, [coarse, fine], targets);

        // Small box centre (25, 25): fine cell (1, 1), offset 25/16 − 1. Large box centre (46, 30): coarse cell (0, 1).
        targets[1].AsSpan((1 * 4 + 1) * 6, 6).ToArray().Should().Equal(1, 25f / 16 - 1, 25f / 16 - 1, 10f / 16, 10f / 16, 1);
        targets[0].AsSpan((0 * 2 + 1) * 6, 6).ToArray().Should().Equal(1, 46f / 32 - 1, 30f / 32, 40f / 32, 32f / 32, 1);
        targets[0].Count(v => v != 0).Should().Be(6);
        targets[1].Count(v => v != 0).Should().Be(6);
    }

    [Fact]
    public void A_second_object_in_a_taken_slot_is_left_out_and_counted()
    {
        var scale = new YoloGridScale(1, 1, [10, 10]);
        var target = new float[scale.TargetLength(2)];
        int leftOut = YoloTargetEncoder.Encode([0, 0, 10, 10, 1, 1, 9, 9], [0, 1], 10, 10, 2, [scale], [target]);
        leftOut.Should().Be(1);
        target.Should().Equal(1, 0.5f, 0.5f, 1, 1, 1, 0);
    }

    [Fact]
    public void A_centre_on_the_far_edge_goes_to_the_last_cell()
    {
        var scale = new YoloGridScale(2, 2, [4, 4]);
        var target = new float[scale.TargetLength(1)];
        YoloTargetEncoder.Encode([8, 8, 12, 12], [0], 10, 10, 1, [scale], [target]);
        target.AsSpan(3 * 6, 6).ToArray().Should().Equal(1, 1, 1, 0.8f, 0.8f, 1);
    }

    [Fact]
    public void Rejects_bad_boxes_classes_and_target_sizes()
    {
        var scale = new YoloGridScale(1, 1, [10, 10]);
        var act = () => YoloTargetEncoder.Encode([5, 0, 5, 10], [0], 10, 10, 1, [scale], [new float[6]]);
        act.Should().Throw<ArgumentException>().WithParameterName("boxes").WithMessage("*boxes[0]*empty*");
        act = () => YoloTargetEncoder.Encode([0, 0, 5, 5], [1], 10, 10, 1, [scale], [new float[6]]);
        act.Should().Throw<ArgumentException>().WithParameterName("classes");
        act = () => YoloTargetEncoder.Encode([0, 0, 5, 5], [0], 10, 10, 1, [scale], [new float[5]]);
        act.Should().Throw<ArgumentException>().WithParameterName("targets").WithMessage("*[1, 1, 1, 6] needs 6*");
    }
}
