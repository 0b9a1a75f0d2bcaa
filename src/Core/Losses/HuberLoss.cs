using MLNetExt.Core.Kernels;

namespace MLNetExt.Core.Losses;

/// <summary>
/// Huber loss, <c>torch.nn.HuberLoss</c>: with e = x − t, ℓ = ½e² where |e| ≤ δ, else δ(|e| − ½δ);
/// ∂ℓ/∂x = clamp(e, −δ, δ). Shapes: input [*], target [*] → [] or [*].
/// </summary>
public sealed class HuberLoss : ElementwiseLoss
{
    /// <summary>Creates the loss (PyTorch's defaults: δ = 1, mean).</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="delta"/> is not positive and finite, or the reduction is not None, Mean or Sum.</exception>
    public HuberLoss(float delta = 1f, Reduction reduction = Reduction.Mean) : base(reduction)
    {
        if (!(delta > 0f) || float.IsInfinity(delta))
            throw new ArgumentOutOfRangeException(nameof(delta), delta, "Huber's delta must be positive and finite.");
        Delta = delta;
    }

    /// <summary>δ: where the loss turns from quadratic to linear.</summary>
    public float Delta { get; }

    private protected override void ComputeLoss(Tensor input, Tensor target, Span<float> destination)
        => ElementwiseLoop.Map(input.Span, target.Span, destination, new HuberOperator(Delta));

    private protected override void ComputeGradient(Tensor input, Tensor target, Span<float> destination)
        => ElementwiseLoop.Map(input.Span, target.Span, destination, new HuberGradientOperator(Delta));
}
