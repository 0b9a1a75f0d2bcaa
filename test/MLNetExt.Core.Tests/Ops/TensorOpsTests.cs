using FluentAssertions;
using MLNetExt.Core.Autograd;
using MLNetExt.Core.Modules;
using MLNetExt.Core.Ops;
using MLNetExt.Core.Tests.Infrastructure;

namespace MLNetExt.Core.Tests.Ops;

public class TensorOpsTests
{
    private static Tensor Random(ulong seed, params int[] shape)
    {
        var t = new Tensor(shape);
        new RandomSource(seed).FillUniform(t.Span, -1f, 1f);
        return t;
    }

    [Fact]
    public void Elementwise_ops_pass_gradient_check()
    {
        var a = Random(1, 3, 4);
        var b = Random(2, 3, 4);
        GradCheck.Check(t => TensorOps.Add(a, b, t), [a, b]);
        GradCheck.Check(t => TensorOps.Subtract(a, b, t), [a, b]);
        GradCheck.Check(t => TensorOps.Multiply(a, b, t), [a, b]);
        GradCheck.Check(t => TensorOps.Scale(a, -2.5f, t), [a]);
        GradCheck.Check(t => TensorOps.Sum(a, t), [a]);
        GradCheck.Check(t => TensorOps.Mean(a, t), [a]);
        GradCheck.Check(t => TensorOps.Reshape(a, [2, -1], t), [a]);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void MatMul_matches_definition_and_gradient_check(bool transposeB)
    {
        var a = Random(3, 4, 5);
        var b = transposeB ? Random(4, 3, 5) : Random(4, 5, 3);
        var y = TensorOps.MatMul(a, b, transposeB: transposeB);
        y.Shape.ToArray().Should().Equal(4, 3);
        for (int i = 0; i < 4; i++)
            for (int j = 0; j < 3; j++)
            {
                double expected = 0;
                for (int p = 0; p < 5; p++) expected += a.Data[i * 5 + p] * (transposeB ? b.Data[j * 5 + p] : b.Data[p * 3 + j]);
                y.Data[i * 3 + j].Should().BeApproximately((float)expected, 1e-5f);
            }
        GradCheck.Check(t => TensorOps.MatMul(a, b, t, transposeB), [a, b]);
    }

    [Fact]
    public void Linear_passes_gradient_check_for_input_weight_and_bias()
    {
        var layer = new Linear(5, 3, random: new RandomSource(11));
        var x = Random(5, 4, 5);
        GradCheck.Check(t => layer.Forward(x, t), [x, layer.Weight, layer.Bias!]);
    }

    [Fact]
    public void Mismatched_shapes_name_both_operands()
    {
        var act = () => TensorOps.Add(new Tensor(2, 3), new Tensor(3, 2));
        act.Should().Throw<ArgumentException>().WithMessage("*[2, 3]*[3, 2]*");
    }

    [Fact]
    public void Steady_state_step_reuses_arena_tensors()
    {
        var layer = new Linear(4, 2, random: new RandomSource(1));
        var x = Random(9, 8, 4);
        var tape = new Tape();
        Tensor Step()
        {
            tape.Reset();
            var loss = TensorOps.Mean(layer.Forward(x, tape), tape);
            tape.Backward(loss);
            return loss;
        }
        var first = Step();
        var second = Step();
        second.Should().BeSameAs(first);
        second.Data[0].Should().Be(first.Data[0]);
    }
}
