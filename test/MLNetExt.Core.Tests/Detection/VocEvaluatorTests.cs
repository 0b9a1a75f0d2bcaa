using FluentAssertions;
using MLNetExt.Core.Detection;

namespace MLNetExt.Core.Tests.Detection;

public class VocEvaluatorTests
{
    // Two objects of class 0; detections ranked: a hit, a miss, a hit. Precision 1, 1/2, 2/3 at recall 1/2, 1/2, 1.
    private static (ImagePredictions[] Predictions, ImageGroundTruth[] Truth) HitMissHit() =>
    (
        [new ImagePredictions([0, 0, 10, 10, 50, 50, 60, 60, 20, 20, 30, 30], [0.9f, 0.8f, 0.7f], [0, 0, 0])],
        [new ImageGroundTruth([0, 0, 10, 10, 20, 20, 30, 30], [0, 0])]
    );

    [Fact]
    public void All_point_ap_by_hand()
    {
        var (predictions, truth) = HitMissHit();
        var result = VocEvaluator.Evaluate(predictions, truth, classCount: 1);
        // 1/2·1 + 1/2·2/3.
        result.MeanAveragePrecision.Should().BeApproximately(5.0 / 6.0, 1e-12);
        result.Curves[0].Precision.Should().Equal(1.0, 0.5, 2.0 / 3.0);
        result.Curves[0].Recall.Should().Equal(0.5, 0.5, 1.0);
        result.Curves[0].Scores.Should().Equal(0.9f, 0.8f, 0.7f);
    }

    [Fact]
    public void Eleven_point_ap_by_hand()
    {
        var (predictions, truth) = HitMissHit();
        // Recall points 0…0.5 read precision 1 (six points), 0.6…1 read 2/3 (five points).
        VocEvaluator.Evaluate(predictions, truth, 1, method: VocApMethod.ElevenPoint).MeanAveragePrecision
            .Should().BeApproximately((6 + 5 * 2.0 / 3.0) / 11, 1e-12);
    }

    [Fact]
    public void A_duplicate_is_a_false_positive_and_a_difficult_object_does_not_count()
    {
        var predictions = new[] { new ImagePredictions([0, 0, 10, 10, 0, 0, 10, 10, 20, 20, 30, 30], [0.9f, 0.8f, 0.7f], [0, 0, 0]) };
        var truth = new[] { new ImageGroundTruth([0, 0, 10, 10, 20, 20, 30, 30], [0, 0], isDifficult: [false, true]) };
        var result = VocEvaluator.Evaluate(predictions, truth, 1);
        result.Curves[0].Precision.Should().Equal(1.0, 0.5);
        result.Curves[0].Recall.Should().Equal(1.0, 1.0);
        result.MeanAveragePrecision.Should().Be(1.0);
    }

    [Fact]
    public void A_match_needs_iou_at_least_the_threshold()
    {
        // [5,0,15,10] against [0,0,10,10]: IoU 50/150 = 1/3.
        var predictions = new[] { new ImagePredictions([5, 0, 15, 10], [0.9f], [0]) };
        var truth = new[] { new ImageGroundTruth([0, 0, 10, 10], [0]) };
        VocEvaluator.Evaluate(predictions, truth, 1, iouThreshold: 0.5).MeanAveragePrecision.Should().Be(0);
        VocEvaluator.Evaluate(predictions, truth, 1, iouThreshold: 0.3).MeanAveragePrecision.Should().Be(1);
    }

    [Fact]
    public void A_class_without_objects_has_no_ap_and_is_left_out_of_the_mean()
    {
        var (predictions, truth) = HitMissHit();
        var result = VocEvaluator.Evaluate(predictions, truth, classCount: 2);
        double.IsNaN(result.AveragePrecisionPerClass[1]).Should().BeTrue();
        result.MeanAveragePrecision.Should().BeApproximately(5.0 / 6.0, 1e-12);
    }

    [Theory]
    [InlineData("voc_11_05", 0.5, VocApMethod.ElevenPoint)]
    [InlineData("voc_all_05", 0.5, VocApMethod.AllPoints)]
    [InlineData("voc_11_07", 0.7, VocApMethod.ElevenPoint)]
    [InlineData("voc_all_07", 0.7, VocApMethod.AllPoints)]
    public void Matches_the_reference_definition_on_a_random_data_set(string key, double iouThreshold, VocApMethod method)
    {
        var reference = EvaluationReference.Load();
        var result = VocEvaluator.Evaluate(reference.Predictions, reference.GroundTruth, reference.ClassCount, iouThreshold, method);
        result.MeanAveragePrecision.Should().BeApproximately(reference.Number(key, "map"), 1e-12);
        result.AveragePrecisionPerClass.Should().Equal(reference.Numbers(key, "per_class"), (a, b) => Math.Abs(a - b) < 1e-12);
    }

    [Fact]
    public void Rejects_a_class_out_of_range_naming_the_image()
    {
        var (predictions, truth) = HitMissHit();
        var act = () => VocEvaluator.Evaluate(predictions, [new ImageGroundTruth([0, 0, 1, 1], [3])], 2);
        act.Should().Throw<ArgumentException>().WithParameterName("groundTruth").WithMessage("*groundTruth[0].Classes[0] is 3*");
        var count = () => VocEvaluator.Evaluate(predictions, [], 1);
        count.Should().Throw<ArgumentException>().WithParameterName("predictions");
        _ = truth;
    }
}
