using MLNetExt.Core.Autograd;
using MLNetExt.Core.Ops;

namespace MLNetExt.Core.Modules;

/// <summary>
/// Global average pooling (<c>nn.AdaptiveAvgPool2d(1)</c> followed by <c>flatten(1)</c>): each channel's map
/// averaged to one value (see <see cref="GlobalAvgPool2dOp"/>). Shapes: input [N, C, H, W] → output [N, C]. No parameters.
/// </summary>
public sealed class GlobalAvgPool2d : Module
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
}
