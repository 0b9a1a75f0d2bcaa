using MLNetExt.Core.Kernels;

namespace MLNetExt.Core.Losses;

/// <summary>
/// Mean squared error, <c>torch.nn.MSELoss</c>: ℓ = (x − t)², ∂ℓ/∂x = 2(x − t). Shapes: input [*], target [*] → [] or [*].
/// </summary>
public sealed class MSELoss : ElementwiseLoss
{
    /// <summary>Creates the loss with the given reduction (default: mean).</summary>
    /// <exception cref="ArgumentOutOfRangeException">The reduction is not None, Mean or Sum.</exception>
    public MSELoss(Reduction reduction = Reduction.Mean) : base(reduction) { }

    private protected override void ComputeLoss(Tensor input, Tensor target, Span<float> destination)
    {
        ElementwiseLoop.Map(input.Span, target.Span, destination, default(SquaredDifferenceOperator));
    }

    private protected override void ComputeGradient(Tensor input, Tensor target, Span<float> destination)
    {
        ElementwiseLoop.Map(input.Span, target.Span, destination, new ScaledDifferenceOperator(2f));
    }
}
