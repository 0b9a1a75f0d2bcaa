using MLNetExt.Core.Autograd;
using MLNetExt.Core.Ops;
using MLNetExt.Core.Onnx;

namespace MLNetExt.Core.Modules;

/// <summary>
/// <c>torch.nn.LogSoftmax(dim=-1)</c> over the last dimension: y = x − max − log Σ e^(x − max). Shapes: [*, C] → [*, C].
/// </summary>
public sealed class LogSoftmax : Module, IOnnxExportable
{
    /// <inheritdoc />
    public override Tensor Forward(Tensor input, Tape? tape = null) => Activations.LogSoftmax(input, tape);

    /// <inheritdoc />
    public override int[] OutputShape(ReadOnlySpan<int> inputShape)
    {
        if (inputShape.Length == 0)
            throw new ArgumentException("LogSoftmax works over the last dimension and needs input of rank ≥ 1, but got a scalar.", "input");
        return inputShape.ToArray();
    }

    /// <summary>Emits <c>LogSoftmax</c> over axis −1. Shapes: [*, C] → [*, C].</summary>
    OnnxValue IOnnxExportable.ExportOnnx(OnnxGraphBuilder graph, OnnxValue input, string scope)
        => OnnxExport.Unary(graph, "LogSoftmax", input, scope, OnnxAttribute.Int("axis", -1));
}
