using MLNetExt.Core.Kernels;

namespace MLNetExt.Core.Losses;

/// <summary>
/// Binary cross-entropy on probabilities, <c>torch.nn.BCELoss</c>: ℓ = −[t·log p + (1 − t)·log(1 − p)], each log
/// clamped at −100 as PyTorch does (so p = 0 or 1 gives a finite loss); ∂ℓ/∂p = (p − t) / max(p(1 − p), 1e−12).
/// Shapes: input (probabilities in [0, 1]) [*], target [*] → [] or [*].
/// </summary>
public sealed class BCELoss : ElementwiseLoss
{
    /// <summary>Creates the loss with the given reduction (default: mean).</summary>
    /// <exception cref="ArgumentOutOfRangeException">The reduction is not None, Mean or Sum.</exception>
    public BCELoss(Reduction reduction = Reduction.Mean) : base(reduction) { }

    /// <exception cref="ArgumentOutOfRangeException">An input element is outside [0, 1].</exception>
    private protected override void Validate(Tensor input, Tensor target)
    {
        var p = input.Span;
        for (int i = 0; i < p.Length; i++)
            if (!(p[i] >= 0f && p[i] <= 1f))
                throw new ArgumentOutOfRangeException(nameof(input), p[i], $"BCELoss input element {i} is {p[i]}; probabilities must lie in [0, 1] (apply a sigmoid, or use BCEWithLogitsLoss on logits).");
    }

    private protected override void ComputeLoss(Tensor input, Tensor target, Span<float> destination)
        => ElementwiseLoop.Map(input.Span, target.Span, destination, default(BinaryCrossEntropyOperator));

    private protected override void ComputeGradient(Tensor input, Tensor target, Span<float> destination)
        => ElementwiseLoop.Map(input.Span, target.Span, destination, default(BinaryCrossEntropyGradientOperator));
}
