using System.Numerics.Tensors;
using MLNetExt.Core.Kernels;

namespace MLNetExt.Core.Losses;

/// <summary>
/// Kullback–Leibler divergence, <c>torch.nn.KLDivLoss</c>. The input x is log-probabilities; the target t is
/// probabilities (ℓ = t·(log t − x), 0 where t = 0) or, with <see cref="LogTarget"/>, log-probabilities
/// (ℓ = eᵗ·(t − x)); ∂ℓ/∂x = −t or −eᵗ. <see cref="Reduction.BatchMean"/> (sum / batch size) gives the true KL
/// divergence per sample; <see cref="Reduction.Mean"/> divides by the element count, as PyTorch does.
/// Shapes: input [N, *], target [N, *] → [] or [N, *].
/// </summary>
public sealed class KLDivLoss : ElementwiseLoss
{
    /// <summary>Creates the loss (PyTorch's defaults: mean, probability targets).</summary>
    /// <exception cref="ArgumentOutOfRangeException">The reduction is not a defined value.</exception>
    public KLDivLoss(Reduction reduction = Reduction.Mean, bool logTarget = false) : base(reduction, allowsBatchMean: true)
        => LogTarget = logTarget;

    /// <summary>True when the target holds log-probabilities.</summary>
    public bool LogTarget { get; }

    private protected override void ComputeLoss(Tensor input, Tensor target, Span<float> destination)
        => ElementwiseLoop.Map(input.Span, target.Span, destination, new KLDivergenceOperator(LogTarget));

    private protected override void ComputeGradient(Tensor input, Tensor target, Span<float> destination)
    {
        if (LogTarget)
        {
            TensorPrimitives.Exp(target.Span, destination);
            TensorPrimitives.Negate(destination, destination);
        }
        else TensorPrimitives.Negate(target.Span, destination);
    }
}
