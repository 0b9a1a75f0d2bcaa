using FluentAssertions;
using MLNetExt.Core.Detection;

namespace MLNetExt.Core.Tests.Detection;

public class BoxConversionTests
{
    // One box, x1 = 10, y1 = 20, x2 = 50, y2 = 80, in each format.
    private static readonly Dictionary<BoxFormat, float[]> SameBox = new()
    {
        [BoxFormat.Xyxy] = [10, 20, 50, 80],
        [BoxFormat.Xywh] = [10, 20, 40, 60],
        [BoxFormat.Cxcywh] = [30, 50, 40, 60],
    };

    [Theory]
    [InlineData(BoxFormat.Xyxy, BoxFormat.Xywh)]
    [InlineData(BoxFormat.Xyxy, BoxFormat.Cxcywh)]
    [InlineData(BoxFormat.Xywh, BoxFormat.Xyxy)]
    [InlineData(BoxFormat.Xywh, BoxFormat.Cxcywh)]
    [InlineData(BoxFormat.Cxcywh, BoxFormat.Xyxy)]
    [InlineData(BoxFormat.Cxcywh, BoxFormat.Xywh)]
    [InlineData(BoxFormat.Cxcywh, BoxFormat.Cxcywh)]
    public void Converts_between_every_pair_of_formats(BoxFormat from, BoxFormat to)
    {
        var source = SameBox[from].Concat(SameBox[from]).ToArray();
        var destination = new float[8];
        BoxConversion.Convert(source, from, destination, to);
        destination.Should().Equal(SameBox[to].Concat(SameBox[to]));
    }

    [Fact]
    public void Converts_in_place()
    {
        var boxes = (float[])SameBox[BoxFormat.Cxcywh].Clone();
        BoxConversion.Convert(boxes, BoxFormat.Cxcywh, boxes, BoxFormat.Xyxy);
        boxes.Should().Equal(SameBox[BoxFormat.Xyxy]);
    }

    [Fact]
    public void Rejects_a_partial_box_and_a_short_destination()
    {
        var partial = () => BoxConversion.Convert(new float[6], BoxFormat.Xyxy, new float[6], BoxFormat.Xywh);
        partial.Should().Throw<ArgumentException>().WithParameterName("source").WithMessage("*not a multiple of 4*");
        var shortDestination = () => BoxConversion.Convert(new float[8], BoxFormat.Xyxy, new float[4], BoxFormat.Xywh);
        shortDestination.Should().Throw<ArgumentException>().WithParameterName("destination");
    }
}
