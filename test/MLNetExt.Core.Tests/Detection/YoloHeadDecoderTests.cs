using FluentAssertions;
using MLNetExt.Core.Detection;

namespace MLNetExt.Core.Tests.Detection;

public class YoloHeadDecoderTests
{
    // 96×64 images; a coarse 2×3 grid (32 px cells) with two anchors and a fine 4×6 grid (16 px cells) with one.
    private static readonly YoloGridScale Coarse = new(2, 3, [30, 24, 44, 30]);
    private static readonly YoloGridScale Fine = new(4, 6, [10, 10]);

    [Theory]
    [InlineData(YoloClassLoss.BinaryCrossEntropy)]
    [InlineData(YoloClassLoss.CrossEntropy)]
    public void Heads_that_encode_the_ground_truth_decode_onto_it_across_scales(YoloClassLoss classLoss)
    {
        // Image 0: a large box (coarse grid) and a small one (fine grid); image 1: two large boxes in one coarse cell
        // on different anchors, and a small one.
        float[][] boxes = [[8, 6, 40, 32, 70, 40, 80, 52], [34, 34, 62, 60, 30, 36, 76, 62, 4, 4, 15, 14]];
        int[][] classes = [[2, 0], [1, 2, 1]];
        var coarseTargets = new List<float[]>();
        var fineTargets = new List<float[]>();
        for (int i = 0; i < 2; i++)
        {
            float[] coarse = new float[Coarse.TargetLength(3)], fine = new float[Fine.TargetLength(3)];
            YoloTargetEncoder.Encode(boxes[i], classes[i], 96, 64, 3, [Coarse, Fine], [coarse, fine]).Should().Be(0);
            coarseTargets.Add(coarse);
            fineTargets.Add(fine);
        }
        var heads = new[] { YoloTestHeads.FromTargets(coarseTargets, Coarse, 96, 64, 3), YoloTestHeads.FromTargets(fineTargets, Fine, 96, 64, 3) };

        var predictions = YoloHeadDecoder.Decode(heads, [Coarse, Fine], 96, 64, 3, classLoss);

        predictions.Should().HaveCount(2);
        for (int i = 0; i < 2; i++)
        {
            predictions[i].Count.Should().Be(classes[i].Length);
            predictions[i].Scores.Should().OnlyContain(s => s > 0.99f);
            for (int g = 0; g < classes[i].Length; g++)
            {
                // Scores tie to within float rounding, so each ground-truth box is looked up by position.
                int match = Enumerable.Range(0, predictions[i].Count)
                    .Single(k => Math.Abs(predictions[i].Boxes[4 * k] - boxes[i][4 * g]) < 1e-3f && Math.Abs(predictions[i].Boxes[4 * k + 1] - boxes[i][4 * g + 1]) < 1e-3f);
                predictions[i].Boxes.AsSpan(4 * match, 4).ToArray().Should().Equal(boxes[i].AsSpan(4 * g, 4).ToArray(), (a, b) => Math.Abs(a - b) < 1e-3f);
                predictions[i].Classes[match].Should().Be(classes[i][g]);
            }
        }
        var groundTruth = Enumerable.Range(0, 2).Select(i => new ImageGroundTruth(boxes[i], classes[i])).ToArray();
        CocoEvaluator.Evaluate(predictions, groundTruth, 3).MeanAveragePrecision.Should().BeApproximately(1.0, 1e-12);
    }

    [Fact]
    public void A_weaker_copy_of_a_box_is_suppressed_and_the_cap_applies()
    {
        // One object in anchor 0 of a coarse cell; anchor 1 of the same cell predicts the same box and class at
        // objectness σ(2): per-class NMS keeps the first only.
        float[] box = [8, 6, 40, 32];
        var target = new float[Coarse.TargetLength(1)];
        YoloTargetEncoder.Encode(box, [0], 96, 64, 1, [Coarse], [target]);
        var head = YoloTestHeads.FromTargets([target], Coarse, 96, 64, 1);
        int cells = 6, entries = 6, cell = 0;
        int Channel(int anchor, int entry) => (anchor * entries + entry) * cells + cell;
        head.Data[Channel(1, 0)] = head.Data[Channel(0, 0)];
        head.Data[Channel(1, 1)] = head.Data[Channel(0, 1)];
        head.Data[Channel(1, 2)] = head.Data[Channel(0, 2)] + MathF.Log(30f / 44);
        head.Data[Channel(1, 3)] = head.Data[Channel(0, 3)] + MathF.Log(24f / 30);
        head.Data[Channel(1, 4)] = 2f;
        head.Data[Channel(1, 5)] = 12f;

        var kept = YoloHeadDecoder.Decode([head], [Coarse], 96, 64, 1, YoloClassLoss.BinaryCrossEntropy, iouThreshold: 0.5)[0];
        kept.Count.Should().Be(1);
        kept.Scores[0].Should().BeGreaterThan(0.99f);

        var withoutNms = YoloHeadDecoder.Decode([head], [Coarse], 96, 64, 1, YoloClassLoss.BinaryCrossEntropy, iouThreshold: 1.0)[0];
        withoutNms.Count.Should().Be(2, "at IoU threshold 1 nothing is suppressed, so both candidates were decoded");
        YoloHeadDecoder.Decode([head], [Coarse], 96, 64, 1, YoloClassLoss.BinaryCrossEntropy, iouThreshold: 1.0, maxDetections: 1)[0].Count.Should().Be(1);
    }

    [Fact]
    public void A_head_of_the_wrong_shape_is_rejected_with_the_expected_shape()
    {
        var decode = () => YoloHeadDecoder.Decode([new Tensor(1, 14, 2, 2)], [Coarse], 96, 64, 2, YoloClassLoss.CrossEntropy);
        decode.Should().Throw<ArgumentException>().Where(e => e.ParamName == "headOutputs" && e.Message.Contains("[B, 2·(5 + 2) = 14, 2, 3]"));
        var mismatched = () => YoloHeadDecoder.Decode([new Tensor(1, 14, 2, 3)], [Coarse, Fine], 96, 64, 2, YoloClassLoss.CrossEntropy);
        mismatched.Should().Throw<ArgumentException>().Where(e => e.ParamName == "headOutputs");
    }
}
