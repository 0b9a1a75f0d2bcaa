using FluentAssertions;
using MLNetExt.Core.Modules;
using MLNetExt.Core.Tests.Infrastructure;
using static MLNetExt.Core.Tests.Layers.LayerTesting;

namespace MLNetExt.Core.Tests.Layers;

public class FlattenTests
{
    [Theory]
    [InlineData(1, -1, new[] { 2, 60 })]
    [InlineData(0, -1, new[] { 120 })]
    [InlineData(1, 2, new[] { 2, 12, 5 })]
    [InlineData(-2, -1, new[] { 2, 3, 20 })]
    [InlineData(2, 2, new[] { 2, 3, 4, 5 })]
    public void Merges_the_given_dimensions(int start, int end, int[] expected)
    {
        var layer = new Flatten(start, end);
        layer.OutputShape([2, 3, 4, 5]).Should().Equal(expected);
        var x = Random(1, 2, 3, 4, 5);
        var y = layer.Forward(x);
        y.Shape.ToArray().Should().Equal(expected);
        y.Data.Should().BeSameAs(x.Data, "flattening is a free view");
    }

    [Fact]
    public void Passes_gradient_check()
    {
        var x = Random(2, 2, 3, 2);
        GradCheck.Check(t => new Flatten().Forward(x, t), [x]);
    }

    [Fact]
    public void Rejects_dimensions_that_do_not_exist_or_are_reversed()
    {
        new Flatten(2, 1).Invoking(l => l.OutputShape([2, 3, 4])).Should().Throw<ArgumentException>().WithMessage("*start dimension 2 comes after the end dimension 1*");
        new Flatten(3).Invoking(l => l.Forward(new Tensor(2, 3))).Should().Throw<ArgumentException>().WithMessage("*[2, 3] (rank 2)*");
        new Flatten().Invoking(l => l.OutputShape([5])).Should().Throw<ArgumentException>();
    }
}
