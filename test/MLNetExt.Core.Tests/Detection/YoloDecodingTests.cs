using FluentAssertions;
using MLNetExt.Core.Detection;

namespace MLNetExt.Core.Tests.Detection;

public class YoloDecodingTests
{
    [Fact]
    public void Sigmoid_is_stable_at_both_ends()
    {
        YoloDecoding.Sigmoid(0).Should().Be(0.5f);
        YoloDecoding.Sigmoid(100).Should().Be(1f);
        YoloDecoding.Sigmoid(-100).Should().BeGreaterThan(0f).And.BeLessThan(1e-40f);
        YoloDecoding.Sigmoid(-1000).Should().Be(0f);
        float.IsNaN(YoloDecoding.Sigmoid(-1000)).Should().BeFalse();
    }

    [Fact]
    public void Yolov8_takes_the_first_of_equal_class_scores_and_a_strict_threshold()
    {
        // [4 + 3, 2]: box 0 has classes 1 and 2 tied at 0.6; box 1 scores exactly the threshold.
        float[] output =
        [
            10, 20,   // cx
            10, 20,   // cy
            4, 4,     // w
            2, 2,     // h
            0.1f, 0.25f,
            0.6f, 0,
            0.6f, 0,
        ];
        var candidates = new DetectionCandidates();
        YoloDecoding.DecodeYoloV8(output, 3, 0.25f, candidates, new float[2], new int[2]);
        candidates.Count.Should().Be(1);
        candidates.Classes[0].Should().Be(1);
        candidates.Boxes.ToArray().Should().Equal(8, 9, 12, 11);
    }

    [Fact]
    public void Darknet_heads_reject_a_size_that_does_not_match_the_anchors()
    {
        var act = () => YoloDecoding.DecodeDarknetHead(new float[10], 1, 1, 1, 32, 32, [1, 1], softmaxClasses: true, 1, 0.5f,
            new DetectionCandidates(), new float[1]);
        act.Should().Throw<ArgumentException>().WithParameterName("output").WithMessage("*1·(5 + 1) channels of 1×1 need 6*");
    }
}
