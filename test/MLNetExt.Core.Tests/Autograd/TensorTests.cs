using FluentAssertions;

namespace MLNetExt.Core.Tests.Autograd;

public class TensorTests
{
    [Fact]
    public void Reshape_infers_one_dimension_and_shares_storage()
    {
        var t = new Tensor(2, 3, 4);
        var r = t.Reshape(6, -1);
        r.Shape.ToArray().Should().Equal(6, 4);
        r.Data.Should().BeSameAs(t.Data);
    }

    [Theory]
    [InlineData(new[] { 5, 5 })]
    [InlineData(new[] { -1, -1 })]
    [InlineData(new[] { 7, -1 })]
    public void Invalid_reshape_is_rejected_with_the_shapes(int[] shape)
    {
        var act = () => new Tensor(2, 3, 4).Reshape(shape);
        act.Should().Throw<ArgumentException>();
    }

    [Fact]
    public void Negative_or_overflowing_shapes_are_rejected_before_allocating()
    {
        ((Action)(() => _ = new Tensor(3, -1))).Should().Throw<ArgumentException>().WithMessage("*negative*");
        ((Action)(() => _ = new Tensor(1 << 16, 1 << 16))).Should().Throw<ArgumentException>().WithMessage("*more elements*");
    }

    [Fact]
    public void Scalar_has_rank_zero_and_one_element()
    {
        var s = Tensor.Scalar(2.5f);
        s.Rank.Should().Be(0);
        s.Length.Should().Be(1);
        s[0].Should().Be(2.5f);
    }

    [Fact]
    public void Indexer_checks_bounds_against_length_not_storage()
    {
        var t = new Tensor(new float[10], 2, 2);
        var act = () => t[4];
        act.Should().Throw<IndexOutOfRangeException>();
    }
}
