using MLNetExt.Core.Autograd;
using MLNetExt.Core.Ops;
using MLNetExt.Core.Onnx;

namespace MLNetExt.Core.Modules;

/// <summary><c>torch.nn.SELU</c>: y = λ·(x for x &gt; 0, else α(eˣ − 1)), α = 1.6732632423543772, λ = 1.0507009873554805. Shapes: [*] → [*].</summary>
public sealed class SELU : Module, IOnnxExportable
{
    /// <inheritdoc />
    public override Tensor Forward(Tensor input, Tape? tape = null) => Activations.Selu(input, tape);

    /// <inheritdoc />
    public override int[] OutputShape(ReadOnlySpan<int> inputShape) => inputShape.ToArray();

    /// <summary>Emits <c>Selu</c>, whose default α and γ are PyTorch's α and λ rounded to float. Shapes: [*] → [*].</summary>
    OnnxValue IOnnxExportable.ExportOnnx(OnnxGraphBuilder graph, OnnxValue input, string scope)
        => OnnxExport.Unary(graph, "Selu", input, scope);
}
