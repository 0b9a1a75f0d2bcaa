using System.Numerics.Tensors;

namespace MLNetExt.Core.Optim;

/// <summary>
/// The moment estimates and update shared by <see cref="Adam"/> and <see cref="AdamW"/> (torch 1.13's
/// <c>_single_tensor_adam</c> after weight decay):
/// <code>
/// m ← β₁m + (1 − β₁)g;  v ← β₂v + (1 − β₂)g⊙g;  v̂max ← max(v̂max, v) with AMSGrad
/// d = √v / √(1 − β₂ᵗ) + ε  (v̂max in place of v with AMSGrad)
/// θ ← θ − η/(1 − β₁ᵗ) · m ⊘ d
/// </code>
/// </summary>
internal sealed class AdamMoments
{
    private readonly float[][] _firstMoments;
    private readonly float[][] _secondMoments;
    private readonly float[][]? _maxSecondMoments;

    public AdamMoments(float[][] firstMoments, float[][] secondMoments, float[][]? maxSecondMoments)
    {
        _firstMoments = firstMoments;
        _secondMoments = secondMoments;
        _maxSecondMoments = maxSecondMoments;
    }

    /// <summary>Applies one update; <paramref name="work"/> is a scratch span of the parameter's length that must not alias <paramref name="grad"/>.</summary>
    public void Apply(int index, int step, Span<float> parameter, ReadOnlySpan<float> grad, Span<float> work,
        double learningRate, double beta1, double beta2, double eps)
    {
        var m = _firstMoments[index].AsSpan();
        var v = _secondMoments[index].AsSpan();
        TensorPrimitives.Multiply(m, (float)beta1, m);
        TensorPrimitives.MultiplyAdd(grad, (float)(1 - beta1), m, m);
        TensorPrimitives.Multiply(v, (float)beta2, v);
        TensorPrimitives.Multiply(grad, grad, work);
        TensorPrimitives.MultiplyAdd(work, (float)(1 - beta2), v, v);

        double biasCorrection1 = 1 - Math.Pow(beta1, step);
        double biasCorrection2 = 1 - Math.Pow(beta2, step);
        double stepSize = learningRate / biasCorrection1;
        ReadOnlySpan<float> second = v;
        if (_maxSecondMoments is not null)
        {
            var maxV = _maxSecondMoments[index].AsSpan();
            TensorPrimitives.Max(maxV, v, maxV);
            second = maxV;
        }
        TensorPrimitives.Sqrt(second, work);
        TensorPrimitives.Divide(work, (float)Math.Sqrt(biasCorrection2), work);
        TensorPrimitives.Add(work, (float)eps, work);
        TensorPrimitives.Divide(m, work, work);
        TensorPrimitives.MultiplyAdd(work, (float)-stepSize, parameter, parameter);
    }
}
