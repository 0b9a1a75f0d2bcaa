using MLNetExt.Transforms.Detection;
using static MLNetExt.Estimators.Tests.Detection.YoloHeads;

namespace MLNetExt.Estimators.Tests.Detection;

public class DetectionEvaluationTests
{
    public sealed class ImageRow
    {
        public string[] Objects = [];

        public float[] Box = [];

        [VectorType(1, 7, 6)]
        public float[] Raw = [];
    }

    [Fact]
    public void Ground_truth_and_decoded_detections_are_matched_by_class_name()
    {
        // Row 0: the planted YOLOv8 output finds cat, dog, bird and a second dog where there is no object. Row 1: a
        // cat the model misses (all scores under the threshold). The label's keys (dog, cat, bird, in order of
        // appearance) are not the decoder's class order (cat, dog, bird): classes must meet by name.
        var ml = new MLContext(1);
        var data = ml.Data.LoadFromEnumerable(new[]
        {
            new ImageRow { Objects = ["dog", "cat", "bird"], Box = [77, 76, 127, 126, 75, 75, 125, 125, 280, 160, 320, 240], Raw = YoloV8() },
            new ImageRow { Objects = ["cat"], Box = [10, 10, 60, 60], Raw = YoloV8(scale: 0.1f) },
        });
        var scored = ml.Transforms.Conversion.MapValueToKey("Label", nameof(ImageRow.Objects))
            .Append(ml.Transforms.ApplyOnnxModel("output0", "Raw", PassThroughModel([1, 7, 6], "output0")))
            .Append(ml.Transforms.DecodeYolo("output0", ["cat", "dog", "bird"]))
            .Fit(data).Transform(data);

        var metrics = ml.MulticlassClassification.EvaluateDetections(scored);

        metrics.ClassNames.Should().Equal("dog", "cat", "bird");
        // Every IoU is 1 or 0, so all thresholds agree. dog: a hit then a false alarm, AP 1; bird: AP 1; cat: found
        // once of twice, so precision 1 up to recall 0.5: 51 of COCO's 101 recall points, VOC's area 0.5.
        double cat = 51.0 / 101;
        metrics.Coco.AveragePrecisionPerClass.Should().Equal([1, cat, 1], (a, b) => Math.Abs(a - b) < 1e-12);
        metrics.MAP50.Should().BeApproximately((2 + cat) / 3, 1e-12);
        metrics.MAP50_95.Should().BeApproximately((2 + cat) / 3, 1e-12);
        metrics.Voc.AveragePrecisionPerClass.Should().Equal([1, 0.5, 1], (a, b) => Math.Abs(a - b) < 1e-12);
        metrics.Voc.Curves[0].Precision.Should().Equal(1, 0.5);
    }

    [Fact]
    public void Text_labels_work_and_bad_columns_are_named()
    {
        var ml = new MLContext(1);
        var data = ml.Data.LoadFromEnumerable(new[] { new ImageRow { Objects = ["cat"], Box = [75, 75, 125, 125], Raw = YoloV8() } });
        var scored = ml.Transforms.ApplyOnnxModel("output0", "Raw", PassThroughModel([1, 7, 6], "output0"))
            .Append(ml.Transforms.DecodeYolo("output0", ["cat", "dog", "bird"], maxDetections: 1))
            .Fit(data).Transform(data);

        var metrics = ml.MulticlassClassification.EvaluateDetections(scored, labelColumnName: nameof(ImageRow.Objects));
        metrics.ClassNames.Should().Equal("cat", "dog", "bird");
        metrics.MAP50_95.Should().BeApproximately(1, 1e-12);

        FluentActions.Invoking(() => ml.MulticlassClassification.EvaluateDetections(scored, labelColumnName: "Raw"))
            .Should().Throw<ArgumentOutOfRangeException>().WithMessage("*'Raw'*keys with text KeyValues, or a vector of text*");
        FluentActions.Invoking(() => ml.MulticlassClassification.EvaluateDetections(scored, labelColumnName: nameof(ImageRow.Objects), boxColumnName: "Raw"))
            .Should().Throw<InvalidOperationException>().WithMessage("*'Raw', row 0: 42 box values for 1 labels*");
    }
}
