using MLNetExt.Core.Autograd;
using MLNetExt.Core.Ops;
using MLNetExt.Core.Onnx;

namespace MLNetExt.Core.Modules;

/// <summary><c>torch.nn.Sigmoid</c>: y = 1 / (1 + e⁻ˣ). Shapes: [*] → [*].</summary>
public sealed class Sigmoid : Module, IOnnxExportable
{
    /// <inheritdoc />
    public override Tensor Forward(Tensor input, Tape? tape = null) => Activations.Sigmoid(input, tape);

    /// <inheritdoc />
    public override int[] OutputShape(ReadOnlySpan<int> inputShape) => inputShape.ToArray();

    /// <summary>Emits <c>Sigmoid</c>. Shapes: [*] → [*].</summary>
    OnnxValue IOnnxExportable.ExportOnnx(OnnxGraphBuilder graph, OnnxValue input, string scope)
        => OnnxExport.Unary(graph, "Sigmoid", input, scope);
}
