using MLNetExt.Core;
using MLNetExt.Core.Autograd;
using MLNetExt.Core.Ops;
using MLNetExt.Trainers.Sequence;

namespace MLNetExt.Trainers.Tests.Sequence;

public class SequencePoolingOpTests
{
    private static readonly int[] Lengths = [3, 1, 2];

    [Theory]
    [InlineData(SequencePooling.Last, 1)]
    [InlineData(SequencePooling.Last, 2)]
    [InlineData(SequencePooling.Mean, 2)]
    [InlineData(SequencePooling.Max, 1)]
    public void GradientMatchesFiniteDifferences(SequencePooling pooling, int directions)
    {
        var random = new RandomSource(5);
        var output = new Tensor(3, 3, 4) { RequiresGrad = true };
        random.FillUniform(output.Span, -1f, 1f);
        var weights = new float[3 * 4];
        random.FillUniform(weights, -1f, 1f);
        var tape = new Tape();

        var pooled = SequencePoolingOp.Forward(output, Lengths, pooling, directions, tape);
        var loss = TensorOps.Sum(TensorOps.Multiply(pooled, new Tensor(weights, 3, 4), tape), tape);
        tape.Backward(loss);
        var analytic = output.Grad!.Span.ToArray();

        const float Step = 1e-3f;
        for (int i = 0; i < output.Length; i++)
        {
            float original = output.Span[i];
            output.Span[i] = original + Step;
            double plus = Objective(output, pooling, directions, weights);
            output.Span[i] = original - Step;
            double minus = Objective(output, pooling, directions, weights);
            output.Span[i] = original;
            analytic[i].Should().BeApproximately((float)((plus - minus) / (2 * Step)), 2e-3f, $"element {i}");
        }
        analytic[(1 * 3 + 1) * 4].Should().Be(0f, "a padded step gets no gradient");
    }

    private static double Objective(Tensor output, SequencePooling pooling, int directions, float[] weights)
    {
        var pooled = SequencePoolingOp.Forward(output, Lengths, pooling, directions).Span;
        double sum = 0;
        for (int i = 0; i < pooled.Length; i++)
            sum += pooled[i] * (double)weights[i];
        return sum;
    }

    [Fact]
    public void LastPoolingReadsEachSequencesOwnEnd()
    {
        var output = new Tensor(Enumerable.Range(0, 2 * 3 * 2).Select(i => (float)i).ToArray(), 2, 3, 2);

        var pooled = SequencePoolingOp.Forward(output, [2, 3], SequencePooling.Last, 2).Span.ToArray();

        pooled.Should().Equal([2f, 1f, 10f, 7f], "the forward half at step ℓ − 1, the backward half at step 0");
        SequencePoolingOp.Forward(output, [2, 3], SequencePooling.Mean, 1).Span.ToArray().Should().Equal([1f, 2f, 8f, 9f]);
        FluentActions.Invoking(() => SequencePoolingOp.Forward(output, [0, 3], SequencePooling.Max, 1))
            .Should().Throw<ArgumentOutOfRangeException>().WithMessage("*Sequence 0 has length 0*");
    }
}
