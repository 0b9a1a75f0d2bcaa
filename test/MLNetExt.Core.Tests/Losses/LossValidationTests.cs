using FluentAssertions;
using MLNetExt.Core.Autograd;
using MLNetExt.Core.Losses;

namespace MLNetExt.Core.Tests.Losses;

public class LossValidationTests
{
    [Fact]
    public void Mismatched_shapes_name_both()
    {
        var act = () => new MSELoss().Forward(new Tensor(2, 3), new Tensor(3, 2));
        act.Should().Throw<ArgumentException>().WithMessage("*input [2, 3]*target [3, 2]*").And.ParamName.Should().Be("target");
        var ce = () => new CrossEntropyLoss().Forward(new Tensor(3, 4), [0, 1]);
        ce.Should().Throw<ArgumentException>().WithMessage("*N = 2*[3, 4]*");
        var weights = () => new CrossEntropyLoss(new Tensor(3)).Forward(new Tensor(2, 4), [0, 1]);
        weights.Should().Throw<ArgumentException>().WithMessage("*3 class weights*4 classes*");
        var posWeight = () => new BCEWithLogitsLoss(new Tensor(3)).Forward(new Tensor(2, 4), new Tensor(2, 4));
        posWeight.Should().Throw<ArgumentException>().WithMessage("*pos_weight has 3*");
    }

    [Fact]
    public void Out_of_range_class_index_names_row_and_value()
    {
        var act = () => new CrossEntropyLoss().Forward(new Tensor(3, 4), [0, 1, 7]);
        act.Should().Throw<ArgumentOutOfRangeException>().WithMessage("*row 2 is class 7*[0, 4)*").And.ParamName.Should().Be("target");
        var negative = () => new CrossEntropyLoss().Forward(new Tensor(2, 4), [-1, 1]);
        negative.Should().Throw<ArgumentOutOfRangeException>().WithMessage("*row 0 is class -1*");
        var fractional = () => new CrossEntropyLoss().Forward(new Tensor(2, 4), Tensor.FromValues([0f, 1.5f], 2));
        fractional.Should().Throw<ArgumentException>().WithMessage("*row 1 is 1.5*");
    }

    [Fact]
    public void Invalid_options_and_inputs_are_rejected()
    {
        ((Action)(() => new MSELoss(Reduction.BatchMean))).Should().Throw<ArgumentOutOfRangeException>().WithParameterName("reduction");
        ((Action)(() => new HuberLoss(0f))).Should().Throw<ArgumentOutOfRangeException>().WithParameterName("delta");
        ((Action)(() => new CrossEntropyLoss(labelSmoothing: 1.5f))).Should().Throw<ArgumentOutOfRangeException>().WithParameterName("labelSmoothing");
        var bce = () => new BCELoss().Forward(Tensor.FromValues([0.5f, 1.2f], 2), new Tensor(2));
        bce.Should().Throw<ArgumentOutOfRangeException>().WithMessage("*element 1 is 1.2*");
    }

    [Fact]
    public void Losses_stay_finite_at_plus_minus_1000()
    {
        var logits = Tensor.FromValues([1000f, -1000f, 0f, -1000f, 1000f, 1000f], 2, 3);
        logits.RequiresGrad = true;
        var tape = new Tape();
        var ce = new CrossEntropyLoss(labelSmoothing: 0.1f).Forward(logits, [1, 0], tape);
        tape.Backward(ce);
        float.IsFinite(ce.Data[0]).Should().BeTrue();
        logits.Grad!.Span.ToArray().Should().OnlyContain(v => float.IsFinite(v));
        // Row 0: target logit −1000 against 1000: loss ≈ 0.9·2000 + (0.1/3)·(2000 + 0 + 1000).
        var none = new CrossEntropyLoss(labelSmoothing: 0.1f, reduction: Reduction.None).Forward(logits, [1, 0]);
        none.Data[0].Should().BeApproximately(0.9f * 2000f + 0.1f / 3f * 3000f, 0.01f);

        var x = Tensor.FromValues([1000f, -1000f, 1000f, -1000f], 4);
        x.RequiresGrad = true;
        var t = Tensor.FromValues([1f, 0f, 0f, 1f], 4);
        var tape2 = new Tape();
        var bce = new BCEWithLogitsLoss(reduction: Reduction.None).Forward(x, t, tape2);
        bce.Span.ToArray().Should().Equal(0f, 0f, 1000f, 1000f);
        tape2.Backward(TensorOpsSum(bce, tape2));
        x.Grad!.Span.ToArray().Should().Equal(0f, 0f, 1f, -1f);

        new BCELoss(Reduction.None).Forward(Tensor.FromValues([0f, 1f], 2), Tensor.FromValues([1f, 0f], 2))
            .Span.ToArray().Should().Equal(100f, 100f);
    }

    [Fact]
    public void Cross_entropy_rejects_reuse_before_backward_and_allocates_the_same_arena_tensors()
    {
        var logits = Tensor.FromValues([1f, 2f, 3f, 0f, -1f, 4f], 2, 3);
        logits.RequiresGrad = true;
        var loss = new CrossEntropyLoss();
        var tape = new Tape();
        var first = loss.Forward(logits, [0, 2], tape);
        loss.Forward(logits, [1, 1], tape);
        var act = () => tape.Backward(first);
        act.Should().Throw<InvalidOperationException>();

        tape.Reset();
        var a = loss.Forward(logits, [0, 2], tape);
        tape.Backward(a);
        tape.Reset();
        var b = loss.Forward(logits, [0, 2], tape);
        tape.Backward(b);
        b.Should().BeSameAs(a);
    }

    private static Tensor TensorOpsSum(Tensor t, Tape tape) => Core.Ops.TensorOps.Sum(t, tape);
}
