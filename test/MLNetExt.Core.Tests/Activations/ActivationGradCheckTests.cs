using Act = MLNetExt.Core.Ops.Activations;
using MLNetExt.Core.Modules;
using MLNetExt.Core.Tests.Infrastructure;

namespace MLNetExt.Core.Tests.Activations;

public class ActivationGradCheckTests
{
    public static TheoryData<string> Names() => ActivationCatalog.UnaryNames();

    /// <summary>Values in ±[0.2, 2.5): every kink (0) and the softplus threshold stay farther than the step away.</summary>
    internal static Tensor AwayFromZero(ulong seed, params int[] shape)
    {
        var t = new Tensor(shape);
        var random = new RandomSource(seed);
        for (int i = 0; i < t.Length; i++)
            t.Data[i] = random.NextUniform(0.2f, 2.5f) * (random.NextSingle() < 0.5f ? -1f : 1f);
        return t;
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void Passes_gradient_check(string name)
    {
        var x = AwayFromZero(3, 3, 5);
        var activation = ActivationCatalog.Unary[name];
        GradCheck.Check(t => activation(x, t), [x], step: 1e-2f);
    }

    [Fact]
    public void Softplus_passes_gradient_check_on_both_sides_of_its_threshold()
    {
        var x = Tensor.FromValues([-3f, -0.5f, 0.7f, 2.2f, 2.8f, 4f], 6);
        GradCheck.Check(t => Act.Softplus(x, 2f, 5f, t), [x]);
    }

    [Fact]
    public void Prelu_passes_gradient_check_for_input_and_weight()
    {
        var x = AwayFromZero(5, 2, 3, 4);
        var layer = new PReLU(3);
        layer.Weight.Data[1] = -0.4f;
        layer.Weight.Data[2] = 1.3f;
        GradCheck.Check(t => layer.Forward(x, t), [x, layer.Weight]);
        var shared = new PReLU();
        GradCheck.Check(t => shared.Forward(x, t), [x, shared.Weight]);
    }
}
