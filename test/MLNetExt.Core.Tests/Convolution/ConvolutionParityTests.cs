using FluentAssertions;
using MLNetExt.Core.Autograd;
using MLNetExt.Core.Modules;
using MLNetExt.Core.Ops;
using MLNetExt.Core.Tests.Infrastructure;

namespace MLNetExt.Core.Tests.Convolution;

/// <summary>
/// Forward outputs and every gradient (input, weight, bias) against PyTorch 1.13 on the same inputs and weights
/// (Reference/generate_convolution.py). The loss is Σ y ⊙ gy with the stored upstream gradient gy.
/// </summary>
public class ConvolutionParityTests
{
    public static TheoryData<string> Cases() =>
    [
        "conv2d_s1_p0", "conv2d_s2_p1", "conv2d_dilated", "conv2d_rect_nobias", "conv2d_pointwise", "conv2d_batch_parallel",
        "conv1d_s1_p0", "conv1d_s2_p1_d2", "conv1d_s3_nobias",
        "convT_s1_p0", "convT_s2_p1_op1", "convT_rect_nobias", "convT_dilated", "convT_pointwise", "convT_batch_parallel",
        "maxpool_k2_s2", "maxpool_k3_s2_p1", "maxpool_ties", "maxpool_rect",
        "avgpool_k2_s2", "avgpool_k3_s2_p1", "avgpool_k3_s2_p1_exclude_pad", "avgpool_rect",
        "upsample_nearest_scale2", "upsample_nearest_scale1_5", "upsample_nearest_size",
        "upsample_bilinear_scale2", "upsample_bilinear_scale2_5", "upsample_bilinear_size", "upsample_bilinear_align_corners",
        "global_avg_pool",
    ];

    [Theory]
    [MemberData(nameof(Cases))]
    public void Matches_pytorch_forward_and_gradients(string name)
    {
        var reference = ReferenceData.Load($"convolution/{name}.json");
        var layer = Build(name, reference);
        foreach (var (parameterName, parameter) in layer.NamedParameters())
            parameter.CopyFrom(reference.Tensor(parameterName));
        layer.NamedParameters().Select(p => p.Key).Should().BeEquivalentTo(
            new[] { "weight", "bias" }.Where(reference.Has), "the layer's parameters carry PyTorch's names");

        var x = reference.Tensor("x");
        x.RequiresGrad = true;
        var tape = new Tape();
        var y = layer.Forward(x, tape);
        y.Shape.ToArray().Should().Equal(layer.OutputShape(x.Shape));
        TensorAssert.Close(y, reference.Tensor("y"), what: $"{name} y");

        tape.Backward(TensorOps.Sum(TensorOps.Multiply(y, reference.Tensor("gy"), tape), tape));
        TensorAssert.Close(x.Grad!, reference.Tensor("dx"), what: $"{name} dx");
        foreach (var (parameterName, parameter) in layer.NamedParameters())
            TensorAssert.Close(parameter.Grad!, reference.Tensor("d" + parameterName), what: $"{name} d{parameterName}");

        var inference = layer.Forward(reference.Tensor("x"));
        TensorAssert.Close(inference, reference.Tensor("y"), what: $"{name} y without a tape");
    }

    private static Module Build(string name, ReferenceData r)
    {
        bool bias = r.MetaInt("bias") == 1;
        var random = new RandomSource(5);
        return name.Split('_')[0] switch
        {
            "conv2d" => new Conv2d(r.MetaInt("in_channels"), r.MetaInt("out_channels"), (r.MetaInt("kh"), r.MetaInt("kw")),
                (r.MetaInt("sh"), r.MetaInt("sw")), (r.MetaInt("ph"), r.MetaInt("pw")), (r.MetaInt("dh"), r.MetaInt("dw")), bias, random),
            "conv1d" => new Conv1d(r.MetaInt("in_channels"), r.MetaInt("out_channels"), r.MetaInt("kw"), r.MetaInt("sw"),
                r.MetaInt("pw"), r.MetaInt("dw"), bias, random),
            "convT" => new ConvTranspose2d(r.MetaInt("in_channels"), r.MetaInt("out_channels"), (r.MetaInt("kh"), r.MetaInt("kw")),
                (r.MetaInt("sh"), r.MetaInt("sw")), (r.MetaInt("ph"), r.MetaInt("pw")), (r.MetaInt("oph"), r.MetaInt("opw")),
                (r.MetaInt("dh"), r.MetaInt("dw")), bias, random),
            "maxpool" => new MaxPool2d((r.MetaInt("kh"), r.MetaInt("kw")), (r.MetaInt("sh"), r.MetaInt("sw")), (r.MetaInt("ph"), r.MetaInt("pw"))),
            "avgpool" => new AvgPool2d((r.MetaInt("kh"), r.MetaInt("kw")), (r.MetaInt("sh"), r.MetaInt("sw")), (r.MetaInt("ph"), r.MetaInt("pw")),
                r.MetaInt("cip") == 1),
            "upsample" => BuildUpsample(r),
            "global" => new GlobalAvgPool2d(),
            _ => throw new ArgumentException($"Unknown reference case {name}.", nameof(name)),
        };
    }

    private static Upsample BuildUpsample(ReferenceData r)
    {
        var mode = r.MetaInt("bilinear") == 1 ? UpsampleMode.Bilinear : UpsampleMode.Nearest;
        bool align = r.MetaInt("align") == 1;
        return r.MetaInt("size_h") > 0
            ? new Upsample((r.MetaInt("size_h"), r.MetaInt("size_w")), mode, align)
            : new Upsample(r.Meta("scale"), mode, align);
    }
}
