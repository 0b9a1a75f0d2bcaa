using System.Numerics.Tensors;

namespace MLNetExt.Core.Optim;

/// <summary>Adagrad (<c>torch.optim.Adagrad</c>, 1.13): per-coordinate steps scaled by the root of the summed squared gradients.</summary>
/// <remarks>
/// Per parameter θ with gradient g, at step t (s starts at the initial accumulator value):
/// <code>
/// g ← g + λθ
/// η_t = η / (1 + (t − 1)·lr_decay)
/// s ← s + g⊙g
/// θ ← θ − η_t · g ⊘ (√s + ε)
/// </code>
/// </remarks>
public sealed class Adagrad : Optimizer
{
    private readonly float[][] _sums;

    /// <summary>Creates the optimizer over <paramref name="parameters"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">An option is negative or not finite.</exception>
    public Adagrad(IEnumerable<Tensor> parameters, double lr = 0.01, double lrDecay = 0, double weightDecay = 0,
        double initialAccumulatorValue = 0, double eps = 1e-10)
        : base(parameters, lr)
    {
        RequireNonNegative(lrDecay, nameof(lrDecay));
        RequireNonNegative(weightDecay, nameof(weightDecay));
        RequireNonNegative(initialAccumulatorValue, nameof(initialAccumulatorValue));
        RequireNonNegative(eps, nameof(eps));
        LrDecay = lrDecay;
        WeightDecay = weightDecay;
        InitialAccumulatorValue = initialAccumulatorValue;
        Eps = eps;
        _sums = AllocateState((float)initialAccumulatorValue);
    }

    /// <summary>The learning-rate decay: step t uses η / (1 + (t − 1)·lr_decay).</summary>
    public double LrDecay { get; }

    /// <summary>The L2 penalty λ added to the gradient as λθ.</summary>
    public double WeightDecay { get; }

    /// <summary>The starting value of the squared-gradient sum.</summary>
    public double InitialAccumulatorValue { get; }

    /// <summary>The term ε added to the root for numerical stability.</summary>
    public double Eps { get; }

    /// <inheritdoc />
    protected override void Update(int index, int step, Span<float> parameter, ReadOnlySpan<float> grad)
    {
        var g = WithWeightDecay(grad, parameter, (float)WeightDecay);
        double clr = LearningRate / (1 + (step - 1) * LrDecay);
        var sum = _sums[index].AsSpan();
        var work = Scratch(1, parameter.Length);
        TensorPrimitives.Multiply(g, g, work);
        TensorPrimitives.Add(sum, work, sum);
        TensorPrimitives.Sqrt(sum, work);
        TensorPrimitives.Add(work, (float)Eps, work);
        TensorPrimitives.Divide(g, work, work);
        TensorPrimitives.MultiplyAdd(work, (float)-clr, parameter, parameter);
    }
}
