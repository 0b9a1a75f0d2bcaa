using System.Numerics.Tensors;
using MLNetExt.Core.Autograd;

namespace MLNetExt.Core.Ops;

/// <summary>
/// Global average pooling: each channel's feature map averaged to one value
/// (<c>torch.nn.functional.adaptive_avg_pool2d(x, 1).flatten(1)</c>).
/// </summary>
/// <remarks>
/// Shapes:
/// <code>
/// Forward:  x [N, C, H, W] → y [N, C], y[n, c] = (1 / H·W) Σ(h, w) x[n, c, h, w]
/// Backward: dX[n, c, h, w] += dY[n, c] / (H·W)
/// </code>
/// </remarks>
public static class GlobalAvgPool2dOp
{
    /// <summary>Averages every [H, W] plane. Shapes: x [N, C, H, W] (H·W ≥ 1) → y [N, C].</summary>
    /// <exception cref="ArgumentException">x is not rank 4 or has an empty plane.</exception>
    public static Tensor Forward(Tensor x, Tape? tape = null)
    {
        ArgumentNullException.ThrowIfNull(x);
        if (x.Rank != 4 || x.Dim(2) * x.Dim(3) == 0)
            throw new ArgumentException($"GlobalAvgPool2d expects input [N, C, H, W] with H·W ≥ 1 but got {ShapeText.Of(x)}.", nameof(x));
        int planes = x.Dim(0) * x.Dim(1), plane = x.Dim(2) * x.Dim(3);
        var y = Tape.Allocate(tape, [x.Dim(0), x.Dim(1)], clear: false);
        var input = x.Span;
        var output = y.Span;
        for (int p = 0; p < planes; p++) output[p] = TensorPrimitives.Sum<float>(input.Slice(p * plane, plane)) / plane;
        if (Tape.ShouldRecord(tape, x)) tape!.Record(new TapeNode(GlobalAvgPool2dBackward.Instance, y, x));
        return y;
    }

    private sealed class GlobalAvgPool2dBackward : IBackward
    {
        public static readonly GlobalAvgPool2dBackward Instance = new();

        public void Backward(Tape tape, in TapeNode node)
        {
            Tensor x = node.A!;
            int planes = x.Dim(0) * x.Dim(1), plane = x.Dim(2) * x.Dim(3);
            var dX = Tape.GradOf(x);
            var dY = node.Output.Grad!.Span;
            for (int p = 0; p < planes; p++)
            {
                var target = dX.Slice(p * plane, plane);
                TensorPrimitives.Add(target, dY[p] / plane, target);
            }
        }
    }
}
