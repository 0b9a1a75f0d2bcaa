using FluentAssertions;
using MLNetExt.Core.Ops;
using MLNetExt.Core.Tests.Infrastructure;

namespace MLNetExt.Core.Tests.Ops;

public class ConcatOpTests
{
    [Fact]
    public void Columns_puts_each_row_of_b_after_the_same_row_of_a_and_passes_gradient_check()
    {
        var a = Tensor.FromValues([1, 2, 3, 4], [2, 2]);
        var b = Tensor.FromValues([5, 6, 7, 8, 9, 10], [2, 3]);

        var y = ConcatOp.Columns(a, b);

        y.Shape.ToArray().Should().Equal(2, 5);
        y.Data.Should().Equal(1, 2, 5, 6, 7, 3, 4, 8, 9, 10);
        GradCheck.Check(t => ConcatOp.Columns(a, b, t), [a, b]);
    }

    [Fact]
    public void Rows_stacks_the_parts_in_order_and_passes_gradient_check()
    {
        var first = Tensor.FromValues([1, 2, 3, 4], [2, 2]);
        var second = Tensor.FromValues([5, 6], [1, 2]);
        var third = Tensor.FromValues([7, 8, 9, 10], [2, 2]);

        var y = ConcatOp.Rows([first, second, third]);

        y.Shape.ToArray().Should().Equal(5, 2);
        y.Data.Should().Equal(1, 2, 3, 4, 5, 6, 7, 8, 9, 10);
        GradCheck.Check(t => ConcatOp.Rows([first, second, third], t), [first, second, third]);
        var widths = () => ConcatOp.Rows([first, new Tensor(1, 3)]);
        widths.Should().Throw<ArgumentException>().WithMessage("*one width*[2, 2]*[1, 3]*");
    }

    [Fact]
    public void Columns_refuses_matrices_of_different_heights()
    {
        var act = () => ConcatOp.Columns(new Tensor(2, 3), new Tensor(3, 3));

        act.Should().Throw<ArgumentException>().WithMessage("*same number of rows*[2, 3]*[3, 3]*");
    }
}
