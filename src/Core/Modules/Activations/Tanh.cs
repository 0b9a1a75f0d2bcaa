using MLNetExt.Core.Autograd;
using MLNetExt.Core.Ops;
using MLNetExt.Core.Onnx;

namespace MLNetExt.Core.Modules;

/// <summary><c>torch.nn.Tanh</c>: y = tanh(x). Shapes: [*] → [*].</summary>
public sealed class Tanh : Module, IOnnxExportable
{
    /// <inheritdoc />
    public override Tensor Forward(Tensor input, Tape? tape = null) => Activations.Tanh(input, tape);

    /// <inheritdoc />
    public override int[] OutputShape(ReadOnlySpan<int> inputShape) => inputShape.ToArray();

    /// <summary>Emits <c>Tanh</c>. Shapes: [*] → [*].</summary>
    OnnxValue IOnnxExportable.ExportOnnx(OnnxGraphBuilder graph, OnnxValue input, string scope)
        => OnnxExport.Unary(graph, "Tanh", input, scope);
}
