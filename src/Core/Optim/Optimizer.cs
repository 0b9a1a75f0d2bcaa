namespace MLNetExt.Core.Optim;

/// <summary>
/// Base of the gradient-descent optimizers (PyTorch's <c>torch.optim.Optimizer</c> with a single parameter group):
/// holds the parameters, applies one update per <see cref="Step"/> to every parameter that has a gradient, and
/// keeps per-parameter state (moment estimates, step counts) that is allocated once, in the constructor, so that
/// a step in steady state allocates nothing.
/// </summary>
/// <remarks>
/// Update rules follow torch.optim 1.13's single-tensor ("for-loop") implementations operation by operation, so
/// results match PyTorch's to float32 rounding. A parameter whose <see cref="Tensor.Grad"/> is <c>null</c> is
/// skipped and its step count does not advance, as in PyTorch.
/// </remarks>
public abstract class Optimizer
{
    private readonly Tensor[] _parameters;
    private readonly int[] _stepCounts;
    private readonly float[] _scratch;
    private readonly int _maxLength;
    private double _learningRate;

    /// <summary>Validates and stores the parameters and the learning rate.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="parameters"/> or one of its elements is null.</exception>
    /// <exception cref="ArgumentException">The list is empty or holds the same tensor twice.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="learningRate"/> is negative or not finite.</exception>
    protected Optimizer(IEnumerable<Tensor> parameters, double learningRate)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        _parameters = parameters.ToArray();
        if (_parameters.Length == 0)
            throw new ArgumentException("The optimizer got an empty parameter list.", nameof(parameters));
        var seen = new HashSet<Tensor>(ReferenceEqualityComparer.Instance);
        foreach (var p in _parameters)
        {
            if (p is null) throw new ArgumentNullException(nameof(parameters), "The parameter list holds a null tensor.");
            if (!seen.Add(p)) throw new ArgumentException($"The parameter {p} appears more than once in the parameter list.", nameof(parameters));
            _maxLength = Math.Max(_maxLength, p.Length);
        }
        RequireLearningRate(learningRate, "lr");
        _learningRate = learningRate;
        _stepCounts = new int[_parameters.Length];
        _scratch = new float[2 * _maxLength];
    }

    /// <summary>The optimized tensors, in the order given to the constructor.</summary>
    public IReadOnlyList<Tensor> Parameters => _parameters;

    /// <summary>The learning rate η used by the next <see cref="Step"/>; learning-rate schedules set it between steps.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is negative or not finite.</exception>
    public double LearningRate
    {
        get => _learningRate;
        set
        {
            RequireLearningRate(value, nameof(LearningRate));
            _learningRate = value;
        }
    }

    /// <summary>How many updates the parameter at <paramref name="index"/> has received (PyTorch's <c>state['step']</c>).</summary>
    public int StepCount(int index) => _stepCounts[index];

    /// <summary>Sets every parameter's gradient to zero (PyTorch's <c>zero_grad(set_to_none=False)</c>).</summary>
    public void ZeroGrad()
    {
        foreach (var p in _parameters) p.ZeroGrad();
    }

    /// <summary>Applies one update to every parameter that has a gradient.</summary>
    /// <exception cref="InvalidOperationException">A gradient's length differs from its parameter's.</exception>
    public void Step()
    {
        for (int i = 0; i < _parameters.Length; i++)
        {
            var parameter = _parameters[i];
            var grad = parameter.Grad;
            if (grad is null) continue;
            if (grad.Length != parameter.Length)
                throw new InvalidOperationException($"The gradient of {parameter} has {grad.Length} elements but the parameter has {parameter.Length}.");
            _stepCounts[i]++;
            Update(i, _stepCounts[i], parameter.Span, grad.Span);
        }
    }

    /// <summary>
    /// Updates one parameter in place. <paramref name="step"/> counts from 1 (this update included).
    /// Implementations must not allocate; use <see cref="Scratch"/> and state from <see cref="AllocateState"/>.
    /// </summary>
    protected abstract void Update(int index, int step, Span<float> parameter, ReadOnlySpan<float> grad);

    /// <summary>
    /// One of two reusable work buffers (<paramref name="which"/> 0 or 1) of <paramref name="length"/> elements,
    /// valid until the next call that asks for the same buffer.
    /// </summary>
    protected Span<float> Scratch(int which, int length) => _scratch.AsSpan(which * _maxLength, length);

    /// <summary>One state buffer per parameter, each the parameter's length, filled with <paramref name="initialValue"/>.</summary>
    protected float[][] AllocateState(float initialValue = 0f)
    {
        var state = new float[_parameters.Length][];
        for (int i = 0; i < state.Length; i++)
        {
            state[i] = new float[_parameters[i].Length];
            if (initialValue != 0f) state[i].AsSpan().Fill(initialValue);
        }
        return state;
    }

    /// <summary>The gradient with L2 weight decay folded in (g + λθ, PyTorch's coupled decay), or the gradient itself when λ = 0.</summary>
    protected ReadOnlySpan<float> WithWeightDecay(ReadOnlySpan<float> grad, ReadOnlySpan<float> parameter, float weightDecay)
    {
        if (weightDecay == 0f) return grad;
        var decayed = Scratch(0, grad.Length);
        System.Numerics.Tensors.TensorPrimitives.MultiplyAdd(parameter, weightDecay, grad, decayed);
        return decayed;
    }

    private static void RequireLearningRate(double value, string name)
    {
        if (!double.IsFinite(value) || value < 0)
            throw new ArgumentOutOfRangeException(name, value, "The learning rate must be a finite value ≥ 0.");
    }

    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> naming <paramref name="name"/> unless <paramref name="value"/> is finite and ≥ 0.</summary>
    protected static void RequireNonNegative(double value, string name)
    {
        if (!double.IsFinite(value) || value < 0)
            throw new ArgumentOutOfRangeException(name, value, $"{name} must be a finite value ≥ 0.");
    }

    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> naming <paramref name="name"/> unless 0 ≤ <paramref name="value"/> &lt; 1.</summary>
    protected static void RequireUnitInterval(double value, string name)
    {
        if (!(value >= 0 && value < 1))
            throw new ArgumentOutOfRangeException(name, value, $"{name} must lie in [0, 1).");
    }
}
