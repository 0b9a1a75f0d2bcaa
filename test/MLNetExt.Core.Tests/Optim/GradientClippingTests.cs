using FluentAssertions;
using MLNetExt.Core.Optim;
using MLNetExt.Core.Tests.Infrastructure;

namespace MLNetExt.Core.Tests.Optim;

public class GradientClippingTests
{
    private static Tensor[] WithGradients(ReferenceData reference)
    {
        var parameters = new Tensor[3];
        for (int i = 0; i < 3; i++)
        {
            var grad = reference.Tensor($"g{i}");
            parameters[i] = new Tensor(grad.Shape) { RequiresGrad = true, Grad = grad };
        }
        return parameters;
    }

    [Theory]
    [InlineData("norm2")]
    [InlineData("norm1")]
    [InlineData("norm3")]
    [InlineData("norminf")]
    [InlineData("norm2_noclip")]
    public void ClipGradNorm_matches_torch(string name)
    {
        var reference = ReferenceData.Load($"optim/clip_{name}.json");
        double normType = reference.Meta("norm_type") < 0 ? double.PositiveInfinity : reference.Meta("norm_type");
        var parameters = WithGradients(reference);
        float total = GradientClipping.ClipGradNorm(parameters, reference.Meta("max_norm"), normType);
        total.Should().BeApproximately(reference.Values("total_norm")[0], 1e-5f * reference.Values("total_norm")[0]);
        for (int i = 0; i < 3; i++)
            TensorAssert.Close(parameters[i].Grad!, reference.Tensor($"e{i}"), what: $"clipped gradient {i}");
    }

    [Fact]
    public void ClipGradNorm_accepts_any_enumerable_and_ignores_missing_gradients()
    {
        var reference = ReferenceData.Load("optim/clip_norm2.json");
        var parameters = WithGradients(reference).Append(new Tensor(4)).ToList();
        float total = GradientClipping.ClipGradNorm(parameters.Where(_ => true), 1.0);
        total.Should().BeApproximately(reference.Values("total_norm")[0], 1e-4f);
        TensorAssert.Close(parameters[0].Grad!, reference.Tensor("e0"));
        parameters[3].Grad.Should().BeNull();
        GradientClipping.ClipGradNorm([new Tensor(3)], 1.0).Should().Be(0f);
    }

    [Fact]
    public void ClipGradValue_matches_torch()
    {
        var reference = ReferenceData.Load("optim/clip_value.json");
        var parameters = WithGradients(reference);
        GradientClipping.ClipGradValue(parameters, reference.Meta("clip_value"));
        for (int i = 0; i < 3; i++)
            TensorAssert.Close(parameters[i].Grad!, reference.Tensor($"e{i}"), rtol: 0, atol: 0, what: $"clamped gradient {i}");
    }

    [Fact]
    public void Invalid_arguments_name_the_argument()
    {
        Tensor[] none = [];
        var negativeNorm = () => GradientClipping.ClipGradNorm(none, -1.0);
        negativeNorm.Should().Throw<ArgumentOutOfRangeException>().Which.ParamName.Should().Be("maxNorm");
        var zeroType = () => GradientClipping.ClipGradNorm(none, 1.0, 0);
        zeroType.Should().Throw<ArgumentOutOfRangeException>().Which.ParamName.Should().Be("normType");
        var negativeValue = () => GradientClipping.ClipGradValue(none, -0.5);
        negativeValue.Should().Throw<ArgumentOutOfRangeException>().Which.ParamName.Should().Be("clipValue");
    }
}
