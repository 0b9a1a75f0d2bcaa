using MLNetExt.Core.Autograd;
using MLNetExt.Core.Ops;
using MLNetExt.Core.Onnx;

namespace MLNetExt.Core.Modules;

/// <summary>
/// <c>torch.nn.Softmax(dim=-1)</c> over the last dimension: y = e^(x − max) / Σ e^(x − max). Shapes: [*, C] → [*, C].
/// </summary>
public sealed class Softmax : Module, IOnnxExportable
{
    /// <inheritdoc />
    public override Tensor Forward(Tensor input, Tape? tape = null) => Activations.Softmax(input, tape);

    /// <inheritdoc />
    public override int[] OutputShape(ReadOnlySpan<int> inputShape)
    {
        if (inputShape.Length == 0)
            throw new ArgumentException("Softmax works over the last dimension and needs input of rank ≥ 1, but got a scalar.", "input");
        return inputShape.ToArray();
    }

    /// <summary>Emits <c>Softmax</c> over axis −1 (opset 13 and later normalize along that one axis). Shapes: [*, C] → [*, C].</summary>
    OnnxValue IOnnxExportable.ExportOnnx(OnnxGraphBuilder graph, OnnxValue input, string scope)
        => OnnxExport.Unary(graph, "Softmax", input, scope, OnnxAttribute.Int("axis", -1));
}
