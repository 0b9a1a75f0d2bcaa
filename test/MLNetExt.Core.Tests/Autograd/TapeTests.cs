using FluentAssertions;
using MLNetExt.Core.Autograd;
using MLNetExt.Core.Ops;

namespace MLNetExt.Core.Tests.Autograd;

public class TapeTests
{
    [Fact]
    public void Backward_accumulates_into_leaves_until_zeroed()
    {
        var x = Tensor.FromValues([1f, 2f, 3f], 3);
        x.RequiresGrad = true;
        var tape = new Tape();
        for (int step = 0; step < 2; step++)
        {
            tape.Reset();
            tape.Backward(TensorOps.Sum(TensorOps.Multiply(x, x, tape), tape));
        }
        // d/dx Σx² = 2x, accumulated over two backward passes.
        x.Grad!.Span.ToArray().Should().Equal(4f, 8f, 12f);
        x.ZeroGrad();
        x.Grad.Span.ToArray().Should().Equal(0f, 0f, 0f);
    }

    [Fact]
    public void A_tensor_used_twice_receives_both_gradients()
    {
        var x = Tensor.FromValues([3f], 1);
        x.RequiresGrad = true;
        var tape = new Tape();
        var y = TensorOps.Add(TensorOps.Scale(x, 2f, tape), TensorOps.Multiply(x, x, tape), tape);
        tape.Backward(TensorOps.Sum(y, tape));
        x.Grad!.Data[0].Should().Be(2f + 2f * 3f);
    }

    [Fact]
    public void Backward_of_a_constant_explains_itself()
    {
        var tape = new Tape();
        var constant = TensorOps.Sum(Tensor.FromValues([1f, 2f], 2), tape);
        var act = () => tape.Backward(constant);
        act.Should().Throw<InvalidOperationException>().WithMessage("*does not require a gradient*");
    }

    [Fact]
    public void Inference_without_a_tape_records_nothing_and_allocates_fresh_outputs()
    {
        var x = Tensor.FromValues([1f, 2f], 2);
        x.RequiresGrad = true;
        var a = TensorOps.Scale(x, 2f);
        var b = TensorOps.Scale(x, 2f);
        a.Should().NotBeSameAs(b);
        a.RequiresGrad.Should().BeFalse();
    }

    [Fact]
    public void Non_recording_tape_reuses_buffers_without_recording()
    {
        var x = Tensor.FromValues([1f, 2f], 2);
        x.RequiresGrad = true;
        var tape = new Tape { IsRecording = false };
        var first = TensorOps.Scale(x, 2f, tape);
        tape.Count.Should().Be(0);
        tape.Reset();
        TensorOps.Scale(x, 3f, tape).Should().BeSameAs(first);
    }

    [Fact]
    public void Reshape_is_a_view_and_recycled_views_never_write_into_foreign_storage()
    {
        var tape = new Tape();
        var source = Tensor.FromValues([1f, 2f, 3f, 4f], 2, 2);
        var view = TensorOps.Reshape(source, [4], tape);
        view.Data.Should().BeSameAs(source.Data);

        tape.Reset();
        var other = Tensor.FromValues([9f, 9f], 2);
        var output = TensorOps.Scale(other, 1f, tape); // first arena output after reset
        output.Data.Should().NotBeSameAs(source.Data);
        source.Span.ToArray().Should().Equal(1f, 2f, 3f, 4f);
    }

    [Fact]
    public void Arena_tensor_reused_with_a_different_shape_is_cleared_and_resized()
    {
        var tape = new Tape();
        var t = tape.Allocate([2, 3]);
        t.Fill(5f);
        tape.Reset();
        var u = tape.Allocate([4, 4]);
        u.Should().BeSameAs(t);
        u.Shape.ToArray().Should().Equal(4, 4);
        u.Span.ToArray().Should().OnlyContain(v => v == 0f);
    }
}
