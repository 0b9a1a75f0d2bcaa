using System.Numerics.Tensors;
using MLNetExt.Core.Kernels;

namespace MLNetExt.Core.Losses;

/// <summary>
/// Mean absolute error, <c>torch.nn.L1Loss</c>: ℓ = |x − t|, ∂ℓ/∂x = sign(x − t) (0 where x = t).
/// Shapes: input [*], target [*] → [] or [*].
/// </summary>
public sealed class L1Loss : ElementwiseLoss
{
    /// <summary>Creates the loss with the given reduction (default: mean).</summary>
    /// <exception cref="ArgumentOutOfRangeException">The reduction is not None, Mean or Sum.</exception>
    public L1Loss(Reduction reduction = Reduction.Mean) : base(reduction) { }

    private protected override void ComputeLoss(Tensor input, Tensor target, Span<float> destination)
    {
        TensorPrimitives.Subtract(input.Span, target.Span, destination);
        TensorPrimitives.Abs(destination, destination);
    }

    private protected override void ComputeGradient(Tensor input, Tensor target, Span<float> destination)
        => ElementwiseLoop.Map(input.Span, target.Span, destination, default(L1GradientOperator));
}
