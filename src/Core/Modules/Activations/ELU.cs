using MLNetExt.Core.Autograd;
using MLNetExt.Core.Ops;
using MLNetExt.Core.Onnx;

namespace MLNetExt.Core.Modules;

/// <summary><c>torch.nn.ELU</c>: y = x for x &gt; 0, else α(eˣ − 1). Shapes: [*] → [*].</summary>
public sealed class ELU : Module, IOnnxExportable
{
    /// <summary>Creates the layer with PyTorch's default α = 1.</summary>
    public ELU(float alpha = 1f) => Alpha = alpha;

    /// <summary>α: the value the output approaches for very negative inputs is −α.</summary>
    public float Alpha { get; }

    /// <inheritdoc />
    public override Tensor Forward(Tensor input, Tape? tape = null) => Activations.Elu(input, Alpha, tape);

    /// <inheritdoc />
    public override int[] OutputShape(ReadOnlySpan<int> inputShape) => inputShape.ToArray();

    /// <summary>Emits <c>Elu</c> with alpha = α. Shapes: [*] → [*].</summary>
    OnnxValue IOnnxExportable.ExportOnnx(OnnxGraphBuilder graph, OnnxValue input, string scope)
        => OnnxExport.Unary(graph, "Elu", input, scope, OnnxAttribute.Float("alpha", Alpha));
}
