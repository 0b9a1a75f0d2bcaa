using FluentAssertions;
using MLNetExt.Core.Detection;
using MLNetExt.Core.Tests.Infrastructure;

namespace MLNetExt.Core.Tests.Detection;

public class NonMaxSuppressionTests
{
    [Theory]
    [InlineData(0.3, "03")]
    [InlineData(0.5, "05")]
    [InlineData(0.7, "07")]
    public void Matches_torchvision_nms_and_batched_nms(double threshold, string key)
    {
        // 304 boxes in 12 clusters, scores on 40 levels (many ties), 4 classes, and boxes planted at IoU exactly 0.5.
        var reference = ReferenceData.Load("detection/nms.json");
        var boxes = reference.Values("boxes");
        var scores = reference.Values("scores");
        var classes = reference.Ints("classes");

        NonMaxSuppression.Run(boxes, scores, threshold).Should().Equal(reference.Ints($"keep_{key}"));
        NonMaxSuppression.Run(boxes, scores, classes, threshold).Should().Equal(reference.Ints($"batched_keep_{key}"));
        NonMaxSuppression.Run(boxes, scores, classes, threshold, classAgnostic: true).Should().Equal(reference.Ints($"keep_{key}"));
    }

    [Fact]
    public void Keeps_a_box_exactly_at_the_threshold_and_breaks_ties_by_index()
    {
        // Box 0 against [0,0,4,2] and [0,0,2,4]: IoU 8/16 = 0.5 exactly (kept); against [0,0,4,3.5]: 0.875 (dropped).
        float[] boxes = [0, 0, 4, 4, 0, 0, 4, 2, 0, 0, 4, 3.5f, 0, 0, 2, 4, 10, 10, 11, 11, 20, 20, 21, 21];
        float[] scores = [0.99f, 0.9f, 0.9f, 0.95f, 0.5f, 0.5f];
        NonMaxSuppression.Run(boxes, scores, 0.5).Should().Equal(0, 3, 1, 4, 5);
    }

    [Fact]
    public void Course_notes_example_threshold_then_per_class_suppression()
    {
        // The course notes' recipe: drop p_c < 0.6, then per class keep the best box and discard the others with
        // IoU > 0.5 against it. Two cars overlap (IoU 0.81, the weaker goes), a pedestrian inside the first car is
        // another class (kept), a third car far away is kept, and a box at p_c 0.55 never enters.
        float[] boxes =
        [
            0, 0, 10, 10,     // car, 0.9
            1, 1, 10, 10,     // car, 0.8: IoU with box 0 = 81/100 > 0.5
            2, 2, 8, 8,       // pedestrian, 0.7
            50, 50, 60, 60,   // car, 0.65
            0, 0, 10, 10,     // pedestrian, 0.55: below p_c 0.6
        ];
        float[] pc = [0.9f, 0.8f, 0.7f, 0.65f, 0.55f];
        int[] classes = [0, 0, 1, 0, 1];
        var candidates = Enumerable.Range(0, pc.Length).Where(i => pc[i] >= 0.6f).ToArray();
        var kept = NonMaxSuppression.Run(
            candidates.SelectMany(i => boxes.Skip(4 * i).Take(4)).ToArray(),
            candidates.Select(i => pc[i]).ToArray(),
            candidates.Select(i => classes[i]).ToArray(), iouThreshold: 0.5);
        kept.Select(k => candidates[k]).Should().Equal(0, 2, 3);
    }

    [Fact]
    public void Caps_the_number_of_detections_at_the_highest_scores()
    {
        var reference = ReferenceData.Load("detection/nms.json");
        var all = reference.Ints("batched_keep_05");
        var capped = NonMaxSuppression.Run(reference.Values("boxes"), reference.Values("scores"), reference.Ints("classes"), 0.5, maxDetections: 7);
        capped.Should().Equal(all.Take(7));
        NonMaxSuppression.Run(reference.Values("boxes"), reference.Values("scores"), reference.Ints("classes"), 0.5, maxDetections: 0).Should().BeEmpty();
    }

    [Fact]
    public void Orders_negative_zero_and_zero_as_equal_scores()
    {
        NonMaxSuppression.StableDescendingOrder([-0f, 0f, 1f, float.NegativeInfinity, -0.5f]).Should().Equal(2, 0, 1, 4, 3);
    }

    [Fact]
    public void Rejects_bad_input_naming_it()
    {
        var nan = () => NonMaxSuppression.Run(new float[] { 0, 0, 1, 1 }, [float.NaN], 0.5);
        nan.Should().Throw<ArgumentException>().WithParameterName("scores").WithMessage("*scores[0] is NaN*");
        var classes = () => NonMaxSuppression.Run(new float[8], new float[2], new int[1], 0.5);
        classes.Should().Throw<ArgumentException>().WithParameterName("classes");
        var cap = () => NonMaxSuppression.Run(new float[4], new float[1], new int[1], 0.5, maxDetections: -2);
        cap.Should().Throw<ArgumentOutOfRangeException>().WithParameterName("maxDetections");
    }
}
