using Act = MLNetExt.Core.Ops.Activations;
using FluentAssertions;
using MLNetExt.Core.Modules;
using MLNetExt.Core.Ops;

namespace MLNetExt.Core.Tests.Activations;

public class ActivationModuleTests
{
    [Fact]
    public void Modules_apply_their_functions_and_keep_the_shape()
    {
        var x = ActivationGradCheckTests.AwayFromZero(9, 2, 3, 4);
        (Module Module, Func<Tensor, Tensor> Function)[] pairs =
        [
            (new ReLU(), v => Act.Relu(v)),
            (new Sigmoid(), v => Act.Sigmoid(v)),
            (new Tanh(), v => Act.Tanh(v)),
            (new LeakyReLU(0.3f), v => Act.LeakyRelu(v, 0.3f)),
            (new ELU(0.7f), v => Act.Elu(v, 0.7f)),
            (new SELU(), v => Act.Selu(v)),
            (new Softplus(2f, 3f), v => Act.Softplus(v, 2f, 3f)),
            (new GELU(GeluApproximation.Tanh), v => Act.Gelu(v, GeluApproximation.Tanh)),
            (new Softmax(), v => Act.Softmax(v)),
            (new LogSoftmax(), v => Act.LogSoftmax(v)),
            (new Identity(), v => v),
        ];
        foreach (var (module, function) in pairs)
        {
            module.OutputShape(x.Shape).Should().Equal(2, 3, 4);
            module.Forward(x).Span.ToArray().Should().Equal(function(x).Span.ToArray(), module.GetType().Name);
            module.Parameters().Should().BeEmpty();
        }
    }

    [Fact]
    public void PReLU_registers_weight_initialized_to_a_quarter()
    {
        var layer = new PReLU(3);
        layer.NamedParameters().Select(p => p.Key).Should().Equal("weight");
        layer.Weight.Span.ToArray().Should().Equal(0.25f, 0.25f, 0.25f);
        layer.Forward(Tensor.FromValues([-4f, 2f, -8f], 1, 3)).Span.ToArray().Should().Equal(-1f, 2f, -2f);
    }

    [Fact]
    public void PReLU_rejects_a_channel_mismatch_naming_both_shapes()
    {
        var layer = new PReLU(3);
        var act = () => layer.Forward(new Tensor(2, 4));
        act.Should().Throw<ArgumentException>().WithMessage("*[3]*[2, 4]*");
        var shape = () => layer.OutputShape([2, 4]);
        shape.Should().Throw<ArgumentException>().WithMessage("*[N, 3, *]*[2, 4]*");
    }

    [Fact]
    public void Invalid_arguments_are_rejected()
    {
        ((Action)(() => Act.Softmax(Tensor.Scalar(1f)))).Should().Throw<ArgumentException>().WithMessage("*rank*");
        ((Action)(() => new Softplus(beta: 0f))).Should().Throw<ArgumentOutOfRangeException>().WithParameterName("beta");
        ((Action)(() => new GELU((GeluApproximation)7))).Should().Throw<ArgumentOutOfRangeException>().WithParameterName("approximation");
        ((Action)(() => new PReLU(0))).Should().Throw<ArgumentOutOfRangeException>();
    }
}
