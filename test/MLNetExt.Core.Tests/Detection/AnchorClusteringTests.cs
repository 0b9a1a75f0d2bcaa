using FluentAssertions;
using MLNetExt.Core.Detection;
using MLNetExt.Core.Tests.Infrastructure;

namespace MLNetExt.Core.Tests.Detection;

public class AnchorClusteringTests
{
    [Fact]
    public void Two_clear_groups_give_their_mean_shapes()
    {
        // Thin tall boxes and wide flat ones: each group's members are far closer (IoU) to each other than across.
        float[] sizes = [10, 40, 12, 44, 14, 48, 60, 20, 64, 22];
        var (anchors, meanIou) = AnchorClustering.KMeans(sizes, 2);
        anchors.Should().Equal([12, 44, 62, 21], (a, b) => Math.Abs(a - b) < 1e-5f);
        meanIou.Should().BeGreaterThan(0.8).And.BeLessThan(1);
    }

    [Fact]
    public void Matches_the_reference_definition_on_planted_shapes()
    {
        var reference = ReferenceData.Load("detection/anchors.json");
        var (anchors, meanIou) = AnchorClustering.KMeans(reference.Values("sizes"), 5);
        TensorAssert.Close(anchors, reference.Values("anchors"), rtol: 1e-5, atol: 1e-5, what: "anchors");
        meanIou.Should().BeApproximately(reference.Meta("mean_iou"), 1e-6);
    }

    [Fact]
    public void As_many_anchors_as_shapes_reproduce_them_with_iou_one()
    {
        float[] sizes = [5, 5, 50, 10, 10, 50];
        var (anchors, meanIou) = AnchorClustering.KMeans(sizes, 3);
        anchors.Should().Equal(5, 5, 10, 50, 50, 10);  // equal areas by width
        meanIou.Should().Be(1);
    }

    [Fact]
    public void Rejects_bad_sizes_and_counts()
    {
        var act = () => AnchorClustering.KMeans([10, 0], 1);
        act.Should().Throw<ArgumentException>().WithParameterName("sizes").WithMessage("*sizes[1] is 0*");
        act = () => AnchorClustering.KMeans([10, 10], 2);
        act.Should().Throw<ArgumentOutOfRangeException>().WithParameterName("anchorCount");
    }
}
