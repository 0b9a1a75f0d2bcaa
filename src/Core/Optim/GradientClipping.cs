using System.Numerics.Tensors;

namespace MLNetExt.Core.Optim;

/// <summary>Gradient clipping by total norm and by value (<c>torch.nn.utils.clip_grad_norm_</c> / <c>clip_grad_value_</c>, 1.13).</summary>
public static class GradientClipping
{
    /// <summary>
    /// Rescales the gradients of <paramref name="parameters"/> in place so that their total norm is at most
    /// <paramref name="maxNorm"/>, and returns the total norm before clipping.
    /// </summary>
    /// <remarks>
    /// The total norm treats all gradients as one vector: ‖g‖ₚ = (Σ‖gᵢ‖ₚᵖ)^(1/p), or max |g| for p = ∞. Every
    /// gradient is multiplied by min(1, maxNorm / (‖g‖ + 10⁻⁶)), computed in float32 as torch does. Parameters without a gradient are ignored; with no
    /// gradients at all the result is 0.
    /// </remarks>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maxNorm"/> is negative or NaN, or <paramref name="normType"/> is not positive.</exception>
    public static float ClipGradNorm(IReadOnlyList<Tensor> parameters, double maxNorm, double normType = 2)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        if (!(maxNorm >= 0))
            throw new ArgumentOutOfRangeException(nameof(maxNorm), maxNorm, "maxNorm must be ≥ 0.");
        if (!(normType > 0))
            throw new ArgumentOutOfRangeException(nameof(normType), normType, "normType must be positive (use double.PositiveInfinity for the max norm).");

        float totalNorm = TotalNorm(parameters, normType, out bool anyGradient);
        if (!anyGradient) return 0f;
        float coefficient = (float)maxNorm / (totalNorm + 1e-6f);
        // Written so that a NaN coefficient (non-finite norm) still multiplies, as torch's clamp-then-multiply does.
        if (!(coefficient >= 1f))
        {
            foreach (var p in parameters)
                if (p.Grad is { } grad) TensorPrimitives.Multiply(grad.Span, coefficient, grad.Span);
        }
        return totalNorm;
    }

    /// <summary>Rescales the gradients of <paramref name="parameters"/> as <see cref="ClipGradNorm(IReadOnlyList{Tensor}, double, double)"/> does.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maxNorm"/> is negative or NaN, or <paramref name="normType"/> is not positive.</exception>
    public static float ClipGradNorm(IEnumerable<Tensor> parameters, double maxNorm, double normType = 2)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        return ClipGradNorm(parameters as IReadOnlyList<Tensor> ?? parameters.ToArray(), maxNorm, normType);
    }

    /// <summary>Clamps every gradient element of <paramref name="parameters"/> to [−<paramref name="clipValue"/>, <paramref name="clipValue"/>] in place.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="clipValue"/> is negative or NaN.</exception>
    public static void ClipGradValue(IEnumerable<Tensor> parameters, double clipValue)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        if (!(clipValue >= 0))
            throw new ArgumentOutOfRangeException(nameof(clipValue), clipValue, "clipValue must be ≥ 0.");
        float limit = (float)clipValue;
        foreach (var p in parameters)
            if (p.Grad is { } grad) TensorPrimitives.Clamp(grad.Span, -limit, limit, grad.Span);
    }

    private static float TotalNorm(IReadOnlyList<Tensor> parameters, double normType, out bool anyGradient)
    {
        anyGradient = false;
        if (double.IsPositiveInfinity(normType))
        {
            float max = 0f;
            for (int i = 0; i < parameters.Count; i++)
            {
                if (parameters[i].Grad is not { } grad) continue;
                anyGradient = true;
                if (grad.Length > 0) max = MathF.Max(max, MathF.Abs(TensorPrimitives.MaxMagnitude(grad.Span)));
            }
            return max;
        }

        // Per-tensor norms are combined as torch does (norm of the per-tensor norms), accumulated in double.
        double sum = 0;
        for (int i = 0; i < parameters.Count; i++)
        {
            if (parameters[i].Grad is not { } grad) continue;
            anyGradient = true;
            double tensorNorm = normType == 2 ? TensorPrimitives.Norm(grad.Span) : PNorm(grad.Span, normType);
            sum += normType == 2 ? tensorNorm * tensorNorm : Math.Pow(tensorNorm, normType);
        }
        return (float)(normType == 2 ? Math.Sqrt(sum) : Math.Pow(sum, 1 / normType));
    }

    private static double PNorm(ReadOnlySpan<float> values, double p)
    {
        if (p == 1) return TensorPrimitives.SumOfMagnitudes(values);
        double sum = 0;
        foreach (float v in values) sum += Math.Pow(Math.Abs(v), p);
        return Math.Pow(sum, 1 / p);
    }
}
