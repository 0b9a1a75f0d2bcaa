using MLNetExt.Core.Autograd;
using MLNetExt.Core.Ops;
using MLNetExt.Core.Onnx;

namespace MLNetExt.Core.Modules;

/// <summary><c>torch.nn.LeakyReLU</c>: y = x for x &gt; 0, else slope·x. Shapes: [*] → [*].</summary>
public sealed class LeakyReLU : Module, IOnnxExportable
{
    /// <summary>Creates the layer with PyTorch's default slope 0.01.</summary>
    public LeakyReLU(float negativeSlope = 0.01f) => NegativeSlope = negativeSlope;

    /// <summary>The slope for negative inputs.</summary>
    public float NegativeSlope { get; }

    /// <inheritdoc />
    public override Tensor Forward(Tensor input, Tape? tape = null) => Activations.LeakyRelu(input, NegativeSlope, tape);

    /// <inheritdoc />
    public override int[] OutputShape(ReadOnlySpan<int> inputShape) => inputShape.ToArray();

    /// <summary>Emits <c>LeakyRelu</c> with alpha = the negative slope. Shapes: [*] → [*].</summary>
    OnnxValue IOnnxExportable.ExportOnnx(OnnxGraphBuilder graph, OnnxValue input, string scope)
        => OnnxExport.Unary(graph, "LeakyRelu", input, scope, OnnxAttribute.Float("alpha", NegativeSlope));
}
