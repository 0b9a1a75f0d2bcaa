using FluentAssertions;
using MLNetExt.Core.Detection;
using MLNetExt.Core.Tests.Infrastructure;

namespace MLNetExt.Core.Tests.Detection;

public class BoxOverlapTests
{
    [Theory]
    [InlineData(IouKind.Iou, "iou")]
    [InlineData(IouKind.Generalized, "giou")]
    [InlineData(IouKind.Distance, "diou")]
    [InlineData(IouKind.Complete, "ciou")]
    public void Pairwise_matches_torchvision(IouKind kind, string name)
    {
        var reference = ReferenceData.Load("detection/overlap.json");
        var boxes1 = reference.Values("boxes1");
        var boxes2 = reference.Values("boxes2");
        var matrix = new float[boxes1.Length / 4 * (boxes2.Length / 4)];
        BoxOverlap.Pairwise(boxes1, boxes2, matrix, kind);
        TensorAssert.Close(matrix, reference.Values(name), rtol: 1e-6, atol: 1e-6, what: name);
    }

    [Theory]
    [InlineData(IouKind.Iou, "iou")]
    [InlineData(IouKind.Generalized, "giou")]
    [InlineData(IouKind.Distance, "diou")]
    [InlineData(IouKind.Complete, "ciou")]
    public void Elementwise_matches_the_diagonal_of_torchvision(IouKind kind, string name)
    {
        var reference = ReferenceData.Load("detection/overlap.json");
        var boxes1 = reference.Values("boxes1");
        var pairs = reference.Values("pairs");
        var values = new float[boxes1.Length / 4];
        BoxOverlap.Elementwise(boxes1, pairs, values, kind);
        TensorAssert.Close(values, reference.Values(name + "_elementwise"), rtol: 1e-6, atol: 1e-6, what: name);
    }

    [Fact]
    public void Worked_values_by_hand()
    {
        float[] a = [0, 0, 2, 2];
        float[] b = [1, 1, 3, 3];
        // Intersection 1, union 7; the hull is [0,0,3,3] (area 9); centres 1.5·√2 apart, hull diagonal² 18.
        BoxOverlap.Overlap(a, b).Should().Be(1f / 7f);
        BoxOverlap.Overlap(a, b, IouKind.Generalized).Should().BeApproximately(1f / 7f - 2f / 9f, 1e-7f);
        BoxOverlap.Overlap(a, b, IouKind.Distance).Should().BeApproximately(1f / 7f - 2f / 18f, 1e-7f);
        // Same aspect ratio: v = 0, so CIoU is DIoU.
        BoxOverlap.Overlap(a, b, IouKind.Complete).Should().Be(BoxOverlap.Overlap(a, b, IouKind.Distance));
    }

    [Fact]
    public void Rejects_mismatched_sizes_and_unknown_kinds()
    {
        var wrongMatrix = () => BoxOverlap.Pairwise(new float[8], new float[12], new float[5]);
        wrongMatrix.Should().Throw<ArgumentException>().WithParameterName("destination").WithMessage("*[2, 3]*");
        var unequal = () => BoxOverlap.Elementwise(new float[8], new float[4], new float[2]);
        unequal.Should().Throw<ArgumentException>().WithParameterName("boxes2");
        var unknown = () => BoxOverlap.Overlap(new float[] { 0, 0, 1, 1 }, new float[] { 0, 0, 1, 1 }, (IouKind)9);
        unknown.Should().Throw<ArgumentOutOfRangeException>().WithParameterName("kind");
    }
}
