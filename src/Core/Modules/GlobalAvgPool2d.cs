using MLNetExt.Core.Autograd;
using MLNetExt.Core.Ops;
using MLNetExt.Core.Onnx;

namespace MLNetExt.Core.Modules;

/// <summary>
/// Global average pooling (<c>nn.AdaptiveAvgPool2d(1)</c> followed by <c>flatten(1)</c>): each channel's map
/// averaged to one value (see <see cref="GlobalAvgPool2dOp"/>). Shapes: input [N, C, H, W] → output [N, C]. No parameters.
/// </summary>
public sealed class GlobalAvgPool2d : Module, IOnnxExportable
{
    /// <inheritdoc />
    public override Tensor Forward(Tensor input, Tape? tape = null) => GlobalAvgPool2dOp.Forward(input, tape);

    /// <inheritdoc />
    public override int[] OutputShape(ReadOnlySpan<int> inputShape)
    {
        if (inputShape.Length != 4 || inputShape[2] * inputShape[3] == 0)
            throw new ArgumentException($"GlobalAvgPool2d expects input [N, C, H, W] with H·W ≥ 1 but got {ShapeText.Of(inputShape)}.", "input");
        return [inputShape[0], inputShape[1]];
    }

    /// <summary>
    /// Emits <c>GlobalAveragePool</c> ([N, C, 1, 1]) and <c>Flatten</c> (axis 1), as PyTorch's exporter writes
    /// <c>adaptive_avg_pool2d(x, 1).flatten(1)</c>. Shapes: [N, C, H, W] → [N, C].
    /// </summary>
    OnnxValue IOnnxExportable.ExportOnnx(OnnxGraphBuilder graph, OnnxValue input, string scope)
    {
        OnnxExport.RequireFloat(input, nameof(GlobalAvgPool2d));
        if (input.Rank != 4 || input.Shape.Skip(2).Any(d => d.Equals(OnnxDim.Fixed(0))))
            throw new ArgumentException($"GlobalAvgPool2d expects input [N, C, H, W] with H·W ≥ 1 but got {input}.", nameof(input));
        string pooled = graph.AddNode("GlobalAveragePool", [input.Name], scope);
        return input.As(graph.AddNode("Flatten", [pooled], scope, OnnxAttribute.Int("axis", 1)), shape: [input.Shape[0], input.Shape[1]]);
    }
}
