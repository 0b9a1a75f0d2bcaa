using FluentAssertions;
using MLNetExt.Core.Detection;

namespace MLNetExt.Core.Tests.Detection;

public class CocoEvaluatorTests
{
    [Fact]
    public void Ap_by_hand_at_101_recall_points()
    {
        // Two objects; a hit, a miss, a hit (every IoU is 1 or 0, so the ten thresholds agree). Precision reads 1 at
        // recall points 0…0.5 (51 points) and 2/3 at 0.51…1 (50 points).
        var predictions = new[] { new ImagePredictions([0, 0, 10, 10, 50, 50, 60, 60, 20, 20, 30, 30], [0.9f, 0.8f, 0.7f], [0, 0, 0]) };
        var truth = new[] { new ImageGroundTruth([0, 0, 10, 10, 20, 20, 30, 30], [0, 0]) };
        var result = CocoEvaluator.Evaluate(predictions, truth, 1);
        double expected = (51 + 50 * 2.0 / 3.0) / 101;
        result.MeanAveragePrecision.Should().BeApproximately(expected, 1e-12);
        result.MeanAveragePrecision50.Should().BeApproximately(expected, 1e-12);
        result.AverageRecall().Should().Be(1.0);
        // All objects are 10×10 = 100 px²: small. No medium or large objects: no figure.
        result.MeanAveragePrecisionFor(CocoAreaRange.Small).Should().BeApproximately(expected, 1e-12);
        double.IsNaN(result.MeanAveragePrecisionFor(CocoAreaRange.Large)).Should().BeTrue();
    }

    [Fact]
    public void A_detection_inside_a_crowd_is_neither_right_nor_wrong()
    {
        // The higher-scoring detection lies in the crowd region (IoU = intersection / its own area = 1): ignored.
        var predictions = new[] { new ImagePredictions([0, 0, 10, 10, 25, 25, 35, 35], [0.9f, 0.95f], [0, 0]) };
        var truth = new[] { new ImageGroundTruth([0, 0, 10, 10, 20, 20, 60, 60], [0, 0], isCrowd: [false, true]) };
        CocoEvaluator.Evaluate(predictions, truth, 1).MeanAveragePrecision.Should().BeApproximately(1.0, 1e-12);
    }

    [Fact]
    public void Matches_the_reference_definition_on_a_random_data_set()
    {
        var reference = EvaluationReference.Load();
        var result = CocoEvaluator.Evaluate(reference.Predictions, reference.GroundTruth, reference.ClassCount);
        result.MeanAveragePrecision.Should().BeApproximately(reference.Number("coco", "map"), 1e-12);
        result.MeanAveragePrecision50.Should().BeApproximately(reference.Number("coco", "map50"), 1e-12);
        result.MeanAveragePrecision75.Should().BeApproximately(reference.Number("coco", "map75"), 1e-12);
        result.MeanAveragePrecisionFor(CocoAreaRange.Small).Should().BeApproximately(reference.Number("coco", "map_small"), 1e-12);
        result.MeanAveragePrecisionFor(CocoAreaRange.Medium).Should().BeApproximately(reference.Number("coco", "map_medium"), 1e-12);
        result.MeanAveragePrecisionFor(CocoAreaRange.Large).Should().BeApproximately(reference.Number("coco", "map_large"), 1e-12);
        result.AverageRecall().Should().BeApproximately(reference.Number("coco", "ar"), 1e-12);
        result.AverageRecall(CocoAreaRange.Small).Should().BeApproximately(reference.Number("coco", "ar_small"), 1e-12);
        result.AveragePrecisionPerClass.Should().Equal(reference.Numbers("coco", "per_class"), (a, b) => Math.Abs(a - b) < 1e-12);
        result.InterpolatedPrecision(0)!.Should().Equal(reference.Numbers("coco", "precision_class0_iou50"), (a, b) => Math.Abs(a - b) < 1e-12);

        CocoEvaluator.Evaluate(reference.Predictions, reference.GroundTruth, reference.ClassCount, maxDetections: 2)
            .MeanAveragePrecision.Should().BeApproximately(reference.Number("coco_maxdet_2", "map"), 1e-12);
    }

    [Fact]
    public void Uses_numpy_linspace_thresholds()
    {
        CocoEvaluation.IouThresholds.Should().HaveCount(10);
        CocoEvaluation.IouThresholds[0].Should().Be(0.5);
        CocoEvaluation.IouThresholds[5].Should().Be(0.75);
        CocoEvaluation.IouThresholds[^1].Should().Be(0.95);
        CocoEvaluation.RecallPoints.Should().HaveCount(101);
        CocoEvaluation.RecallPoints[^1].Should().Be(1.0);
    }

    [Fact]
    public void Rejects_a_max_detections_below_one()
    {
        var act = () => CocoEvaluator.Evaluate([], [], 1, maxDetections: 0);
        act.Should().Throw<ArgumentOutOfRangeException>().WithParameterName("maxDetections");
    }
}
