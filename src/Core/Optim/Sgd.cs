using System.Numerics.Tensors;

namespace MLNetExt.Core.Optim;

/// <summary>
/// Stochastic gradient descent with optional momentum, dampening, Nesterov momentum and L2 weight decay
/// (<c>torch.optim.SGD</c>, 1.13).
/// </summary>
/// <remarks>
/// Per parameter θ with gradient g, at step t:
/// <code>
/// g ← g + λθ                                   (weight decay λ)
/// b ← g at t = 1, else μb + (1 − τ)g           (momentum μ, dampening τ; only when μ ≠ 0)
/// g ← g + μb with Nesterov, else g ← b
/// θ ← θ − ηg
/// </code>
/// </remarks>
public sealed class Sgd : Optimizer
{
    private readonly float[][]? _momentumBuffers;

    /// <summary>Creates the optimizer over <paramref name="parameters"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">An option is negative or not finite, or <paramref name="nesterov"/> is set without positive momentum and zero dampening.</exception>
    public Sgd(IEnumerable<Tensor> parameters, double lr, double momentum = 0, double dampening = 0, double weightDecay = 0, bool nesterov = false)
        : base(parameters, lr)
    {
        RequireNonNegative(momentum, nameof(momentum));
        RequireNonNegative(dampening, nameof(dampening));
        RequireNonNegative(weightDecay, nameof(weightDecay));
        if (nesterov && (momentum <= 0 || dampening != 0))
            throw new ArgumentOutOfRangeException(nameof(nesterov), nesterov, "Nesterov momentum requires momentum > 0 and dampening = 0.");
        Momentum = momentum;
        Dampening = dampening;
        WeightDecay = weightDecay;
        Nesterov = nesterov;
        if (momentum != 0) _momentumBuffers = AllocateState();
    }

    /// <summary>The momentum factor μ.</summary>
    public double Momentum { get; }

    /// <summary>The dampening τ applied to the gradient in the momentum update.</summary>
    public double Dampening { get; }

    /// <summary>The L2 penalty λ added to the gradient as λθ.</summary>
    public double WeightDecay { get; }

    /// <summary>Whether Nesterov momentum is used.</summary>
    public bool Nesterov { get; }

    /// <inheritdoc />
    protected override void Update(int index, int step, Span<float> parameter, ReadOnlySpan<float> grad)
    {
        var direction = WithWeightDecay(grad, parameter, (float)WeightDecay);
        if (_momentumBuffers is not null)
        {
            var buffer = _momentumBuffers[index].AsSpan();
            if (step == 1)
                direction.CopyTo(buffer);
            else
            {
                TensorPrimitives.Multiply(buffer, (float)Momentum, buffer);
                TensorPrimitives.MultiplyAdd(direction, (float)(1 - Dampening), buffer, buffer);
            }
            if (Nesterov)
            {
                var lookAhead = Scratch(1, parameter.Length);
                TensorPrimitives.MultiplyAdd(buffer, (float)Momentum, direction, lookAhead);
                direction = lookAhead;
            }
            else
                direction = buffer;
        }
        TensorPrimitives.MultiplyAdd(direction, (float)-LearningRate, parameter, parameter);
    }
}
