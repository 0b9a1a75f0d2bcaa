namespace MLNetExt.Core.Optim;

/// <summary>Adam (<c>torch.optim.Adam</c>, 1.13), with coupled L2 weight decay and optional AMSGrad.</summary>
/// <remarks>
/// Per parameter θ with gradient g, at step t (moments start at zero):
/// <code>
/// g ← g + λθ
/// m ← β₁m + (1 − β₁)g;  v ← β₂v + (1 − β₂)g⊙g   (AMSGrad: v̂max ← max(v̂max, v), used below in place of v)
/// θ ← θ − η/(1 − β₁ᵗ) · m ⊘ (√v / √(1 − β₂ᵗ) + ε)
/// </code>
/// ε sits outside the root and after the bias correction, exactly as in PyTorch.
/// </remarks>
public sealed class Adam : Optimizer
{
    private readonly AdamMoments _moments;

    /// <summary>Creates the optimizer over <paramref name="parameters"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A beta lies outside [0, 1), or another option is negative or not finite.</exception>
    public Adam(IEnumerable<Tensor> parameters, double lr = 1e-3, double beta1 = 0.9, double beta2 = 0.999,
        double eps = 1e-8, double weightDecay = 0, bool amsgrad = false)
        : base(parameters, lr)
    {
        RequireUnitInterval(beta1, nameof(beta1));
        RequireUnitInterval(beta2, nameof(beta2));
        RequireNonNegative(eps, nameof(eps));
        RequireNonNegative(weightDecay, nameof(weightDecay));
        Beta1 = beta1;
        Beta2 = beta2;
        Eps = eps;
        WeightDecay = weightDecay;
        AmsGrad = amsgrad;
        _moments = new AdamMoments(AllocateState(), AllocateState(), amsgrad ? AllocateState() : null);
    }

    /// <summary>The decay rate β₁ of the first-moment estimate.</summary>
    public double Beta1 { get; }

    /// <summary>The decay rate β₂ of the second-moment estimate.</summary>
    public double Beta2 { get; }

    /// <summary>The term ε added to the denominator for numerical stability.</summary>
    public double Eps { get; }

    /// <summary>The L2 penalty λ added to the gradient as λθ (coupled decay; see <see cref="AdamW"/> for decoupled).</summary>
    public double WeightDecay { get; }

    /// <summary>Whether the AMSGrad variant (running maximum of the second moment) is used.</summary>
    public bool AmsGrad { get; }

    /// <inheritdoc />
    protected override void Update(int index, int step, Span<float> parameter, ReadOnlySpan<float> grad)
    {
        var g = WithWeightDecay(grad, parameter, (float)WeightDecay);
        _moments.Apply(index, step, parameter, g, Scratch(1, parameter.Length), LearningRate, Beta1, Beta2, Eps);
    }
}
