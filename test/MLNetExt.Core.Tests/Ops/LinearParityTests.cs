using FluentAssertions;
using MLNetExt.Core.Autograd;
using MLNetExt.Core.Modules;
using MLNetExt.Core.Ops;
using MLNetExt.Core.Tests.Infrastructure;

namespace MLNetExt.Core.Tests.Ops;

/// <summary>Linear and a Sequential MLP against torch.nn on committed reference tensors (Reference/generate_linear.py).</summary>
public class LinearParityTests
{
    public static TheoryData<string> Cases => new() { "linear", "linear_no_bias", "mlp" };

    private static Module Build(string name) => name switch
    {
        "linear" => new Linear(5, 3),
        "linear_no_bias" => new Linear(6, 2, bias: false),
        "mlp" => new Sequential(new Linear(4, 8), new Tanh(), new Linear(8, 8), new ReLU(), new Linear(8, 3)),
        _ => throw new ArgumentOutOfRangeException(nameof(name), name, "Unknown case."),
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Forward_and_gradients_match_torch(string name)
    {
        var reference = ReferenceData.Load($"linear/{name}.json");
        var module = Build(name);
        var parameters = module.NamedParameters().ToDictionary(p => p.Key, p => p.Value);
        parameters.Keys.Select(k => "param." + k).Should().OnlyContain(k => reference.Has(k), "every parameter is named as in torch's state_dict");
        foreach (var (key, parameter) in parameters) parameter.CopyFrom(reference.Tensor("param." + key));

        var x = reference.Tensor("x");
        x.RequiresGrad = true;
        var tape = new Tape();
        var y = module.Forward(x, tape);
        TensorAssert.Close(y, reference.Tensor("y"), what: "output");
        TensorAssert.Close(module.Forward(reference.Tensor("x")), reference.Tensor("y"), what: "output without a tape");

        tape.Backward(TensorOps.Sum(TensorOps.Multiply(y, reference.Tensor("dy"), tape), tape));
        TensorAssert.Close(x.Grad!, reference.Tensor("dx"), what: "input gradient");
        foreach (var (key, parameter) in parameters)
            TensorAssert.Close(parameter.Grad!, reference.Tensor("grad." + key), what: $"gradient of {key}");
    }

    [Fact]
    public void Default_initialization_is_torch_uniform_with_bound_one_over_sqrt_fan_in()
    {
        var layer = new Linear(400, 300, random: new RandomSource(3));
        float bound = 1f / MathF.Sqrt(400);
        layer.Weight.Span.ToArray().Should().OnlyContain(v => v >= -bound && v <= bound);
        layer.Bias!.Span.ToArray().Should().OnlyContain(v => v >= -bound && v <= bound);
        // U(−b, b) has variance b²/3.
        double variance = layer.Weight.Span.ToArray().Average(v => (double)v * v);
        variance.Should().BeApproximately(bound * bound / 3, bound * bound / 3 * 0.02);
    }
}
