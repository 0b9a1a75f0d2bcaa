using System.Runtime.Intrinsics;
using FluentAssertions;
using MLNetExt.Core.Autograd;
using MLNetExt.Core.Kernels;
using MLNetExt.Core.Ops;
using MLNetExt.Core.Tests.Infrastructure;
using static MLNetExt.Core.Tests.Attention.AttentionTesting;

namespace MLNetExt.Core.Tests.Attention;

/// <summary>The masked softmax kernel and op: masked positions get weight 0 and gradient 0, whatever they hold.</summary>
public class MaskedSoftmaxTests
{
    [Fact]
    public void Kernel_matches_a_double_precision_reference_at_every_length_and_vector_tail()
    {
        var random = new RandomSource(3);
        for (int length = 0; length <= 2 * Vector512<float>.Count + 3; length++)
        {
            var row = new float[length];
            random.FillUniform(row, -8f, 8f);
            for (int j = 0; j < length; j++)
                if (random.NextSingle() < 0.3f) row[j] = float.NegativeInfinity;
            var expected = Reference(row);
            MaskedSoftmax.ForwardRow(row);
            TensorAssert.Close(row, expected, rtol: 1e-6, atol: 1e-7, what: $"length {length}");
        }
    }

    [Fact]
    public void Rows_fully_masked_but_one_give_that_position_all_the_weight_and_no_gradient_anywhere()
    {
        // Row 0: only position 2 is unmasked; row 1: only position 0; row 2: nothing masked.
        var x = RequiringGrad(Random(5, 3, 4));
        bool[] mask = [true, true, false, true, false, true, true, true, false, false, false, false];
        var tape = new Tape();
        var y = MaskedSoftmaxOp.Forward(x, mask, tape);
        tape.Backward(TensorOps.Sum(TensorOps.Multiply(y, Random(6, 3, 4), tape), tape));

        y.Span[..8].ToArray().Should().Equal(0f, 0f, 1f, 0f, 1f, 0f, 0f, 0f);
        x.Grad!.Span[..8].ToArray().Should().OnlyContain(g => g == 0f, "a lone position's weight is 1 whatever its score");
        x.Grad!.Span[8..].ToArray().Should().Contain(g => g != 0f);
        var full = y.Span[8..].ToArray();
        full.Sum().Should().BeApproximately(1f, 1e-6f);
    }

    [Fact]
    public void Values_at_masked_positions_never_reach_the_output_or_the_gradient()
    {
        bool[] mask = [false, true, false, true, false, false, true, false];
        var clean = Random(7, 2, 4);
        var dirty = clean.Clone();
        dirty.Span[1] = float.NaN;
        dirty.Span[3] = float.PositiveInfinity;
        dirty.Span[6] = 1e30f;
        RequiringGrad(dirty);

        var tape = new Tape();
        var y = MaskedSoftmaxOp.Forward(dirty, mask, tape);
        tape.Backward(TensorOps.Sum(TensorOps.Multiply(y, Random(8, 2, 4), tape), tape));

        y.Span.ToArray().Should().Equal(MaskedSoftmaxOp.Forward(clean, mask).Span.ToArray());
        foreach (int i in new[] { 1, 3, 6 }) dirty.Grad!.Span[i].Should().Be(0f);
        dirty.Grad!.Span.ToArray().Should().OnlyContain(g => float.IsFinite(g));
    }

    [Fact]
    public void A_fully_masked_row_gives_zeros_not_NaN()
    {
        var x = RequiringGrad(Random(9, 2, 3));
        var tape = new Tape();
        var y = MaskedSoftmaxOp.Forward(x, [true, true, true, false, false, true], tape);
        tape.Backward(TensorOps.Sum(TensorOps.Multiply(y, Random(10, 2, 3), tape), tape));
        y.Span[..3].ToArray().Should().Equal(0f, 0f, 0f);
        x.Grad!.Span[..3].ToArray().Should().Equal(0f, 0f, 0f);
    }

    [Fact]
    public void Passes_gradient_check_with_masks()
    {
        var x = Random(11, 3, 5);
        bool[] mask = [false, false, true, false, true, true, true, false, true, true, false, false, false, false, false];
        GradCheck.Check(t => MaskedSoftmaxOp.Forward(x, mask, t), [x]);
        GradCheck.Check(t => MaskedSoftmaxOp.Forward(x, default, t), [x]);
    }

    [Fact]
    public void Rejects_a_mask_of_the_wrong_size()
    {
        FluentActions.Invoking(() => MaskedSoftmaxOp.Forward(new Tensor(2, 3), new bool[5]))
            .Should().Throw<ArgumentException>().WithParameterName("mask").WithMessage("*5*[2, 3]*");
    }

    private static float[] Reference(float[] row)
    {
        double max = double.NegativeInfinity;
        foreach (float v in row) max = Math.Max(max, v);
        var result = new float[row.Length];
        if (double.IsNegativeInfinity(max)) return result;
        double sum = 0;
        foreach (float v in row) sum += Math.Exp(v - max);
        for (int j = 0; j < row.Length; j++) result[j] = (float)(Math.Exp(row[j] - max) / sum);
        return result;
    }
}
