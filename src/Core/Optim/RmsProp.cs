using System.Numerics.Tensors;

namespace MLNetExt.Core.Optim;

/// <summary>RMSprop (<c>torch.optim.RMSprop</c>, 1.13), optionally centered and with momentum.</summary>
/// <remarks>
/// Per parameter θ with gradient g (all state starts at zero):
/// <code>
/// g ← g + λθ
/// s ← αs + (1 − α)g⊙g
/// centered: a ← αa + (1 − α)g;  d = √(s − a⊙a) + ε,  else d = √s + ε
/// momentum μ &gt; 0: b ← μb + g ⊘ d;  θ ← θ − ηb,  else θ ← θ − η g ⊘ d
/// </code>
/// </remarks>
public sealed class RmsProp : Optimizer
{
    private readonly float[][] _squareAverages;
    private readonly float[][]? _gradAverages;
    private readonly float[][]? _momentumBuffers;

    /// <summary>Creates the optimizer over <paramref name="parameters"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">An option is negative or not finite.</exception>
    public RmsProp(IEnumerable<Tensor> parameters, double lr = 0.01, double alpha = 0.99, double eps = 1e-8,
        double weightDecay = 0, double momentum = 0, bool centered = false)
        : base(parameters, lr)
    {
        RequireNonNegative(alpha, nameof(alpha));
        RequireNonNegative(eps, nameof(eps));
        RequireNonNegative(weightDecay, nameof(weightDecay));
        RequireNonNegative(momentum, nameof(momentum));
        Alpha = alpha;
        Eps = eps;
        WeightDecay = weightDecay;
        Momentum = momentum;
        Centered = centered;
        _squareAverages = AllocateState();
        if (centered) _gradAverages = AllocateState();
        if (momentum > 0) _momentumBuffers = AllocateState();
    }

    /// <summary>The smoothing constant α of the running averages.</summary>
    public double Alpha { get; }

    /// <summary>The term ε added to the root for numerical stability.</summary>
    public double Eps { get; }

    /// <summary>The L2 penalty λ added to the gradient as λθ.</summary>
    public double WeightDecay { get; }

    /// <summary>The momentum factor μ.</summary>
    public double Momentum { get; }

    /// <summary>Whether the second moment is centered by the running mean of the gradient (an estimate of its variance).</summary>
    public bool Centered { get; }

    /// <inheritdoc />
    protected override void Update(int index, int step, Span<float> parameter, ReadOnlySpan<float> grad)
    {
        var g = WithWeightDecay(grad, parameter, (float)WeightDecay);
        float alpha = (float)Alpha;
        var squareAverage = _squareAverages[index].AsSpan();
        var denominator = Scratch(1, parameter.Length);
        TensorPrimitives.Multiply(squareAverage, alpha, squareAverage);
        TensorPrimitives.Multiply(g, g, denominator);
        TensorPrimitives.MultiplyAdd(denominator, (float)(1 - Alpha), squareAverage, squareAverage);
        if (_gradAverages is not null)
        {
            var gradAverage = _gradAverages[index].AsSpan();
            TensorPrimitives.Multiply(gradAverage, alpha, gradAverage);
            TensorPrimitives.MultiplyAdd(g, (float)(1 - Alpha), gradAverage, gradAverage);
            TensorPrimitives.Multiply(gradAverage, gradAverage, denominator);
            TensorPrimitives.Subtract(squareAverage, denominator, denominator);
            TensorPrimitives.Sqrt(denominator, denominator);
        }
        else
            TensorPrimitives.Sqrt(squareAverage, denominator);
        TensorPrimitives.Add(denominator, (float)Eps, denominator);
        TensorPrimitives.Divide(g, denominator, denominator);
        if (_momentumBuffers is not null)
        {
            var buffer = _momentumBuffers[index].AsSpan();
            TensorPrimitives.Multiply(buffer, (float)Momentum, buffer);
            TensorPrimitives.Add(buffer, denominator, buffer);
            TensorPrimitives.MultiplyAdd(buffer, (float)-LearningRate, parameter, parameter);
        }
        else
            TensorPrimitives.MultiplyAdd(denominator, (float)-LearningRate, parameter, parameter);
    }
}
