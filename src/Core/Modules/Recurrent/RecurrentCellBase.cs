using MLNetExt.Core.Autograd;
using MLNetExt.Core.Ops.Recurrent;

namespace MLNetExt.Core.Modules.Recurrent;

/// <summary>
/// The shared base of <see cref="RNNCell"/>, <see cref="LSTMCell"/> and <see cref="GRUCell"/> (PyTorch's
/// <c>RNNCellBase</c>): one step of the recurrence, usable on its own (e.g. in a decoder loop), run by the same fused
/// kernels as the sequence layers.
/// </summary>
/// <remarks>
/// Shapes: input [B, I], h and c [B, H] → h' (and c') [B, H]. Parameters <c>weight_ih</c> [G·H, I], <c>weight_hh</c>
/// [G·H, H], <c>bias_ih</c> and <c>bias_hh</c> [G·H], initialized from U(−1/√H, 1/√H) as in PyTorch.
/// </remarks>
public abstract class RecurrentCellBase : Module
{
    private readonly RecurrentOp _op;

    private protected RecurrentCellBase(RecurrentMode mode, int inputSize, int hiddenSize, bool bias, RandomSource? random)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(inputSize, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(hiddenSize, 1);
        InputSize = inputSize;
        HiddenSize = hiddenSize;
        random ??= RandomSource.Default;
        int gates = RecurrentOp.GateCount(mode) * hiddenSize;
        float bound = 1f / MathF.Sqrt(hiddenSize);
        WeightIh = Register("weight_ih", new Tensor(gates, inputSize), bound, random);
        WeightHh = Register("weight_hh", new Tensor(gates, hiddenSize), bound, random);
        if (bias)
        {
            BiasIh = Register("bias_ih", new Tensor(gates), bound, random);
            BiasHh = Register("bias_hh", new Tensor(gates), bound, random);
        }
        _op = new RecurrentOp(mode, inputSize, hiddenSize, 1, 1, batchFirst: true, dropout: 0f,
            [WeightIh], [WeightHh], [BiasIh], [BiasHh], random);
    }

    /// <summary>The input width I.</summary>
    public int InputSize { get; }

    /// <summary>The hidden width H.</summary>
    public int HiddenSize { get; }

    /// <summary>The input weights, [G·H, I].</summary>
    public Tensor WeightIh { get; }

    /// <summary>The recurrent weights, [G·H, H].</summary>
    public Tensor WeightHh { get; }

    /// <summary>The input bias, [G·H], or null.</summary>
    public Tensor? BiasIh { get; }

    /// <summary>The recurrent bias, [G·H], or null.</summary>
    public Tensor? BiasHh { get; }

    /// <summary>One step from a zero state: h' for input [B, I].</summary>
    public override Tensor Forward(Tensor input, Tape? tape = null) => Step(input, null, null, tape).Output;

    /// <inheritdoc />
    public override int[] OutputShape(ReadOnlySpan<int> inputShape)
    {
        CheckInput(inputShape);
        return [inputShape[0], HiddenSize];
    }

    private protected RecurrentOutput Step(Tensor input, Tensor? h, Tensor? c, Tape? tape)
    {
        ArgumentNullException.ThrowIfNull(input);
        CheckInput(input.Shape);
        int batch = input.Dim(0);
        ReadOnlySpan<int> stateShape = [batch, HiddenSize];
        CheckState(h, stateShape, "hx");
        CheckState(c, stateShape, "cx");
        return _op.Forward(input, batch, 1, default, h, c, stateShape, stateShape, exposeHidden: false, training: false, tape);
    }

    private void CheckInput(ReadOnlySpan<int> shape)
    {
        // The expected shape is only formatted on failure: a training step must not allocate.
        if (shape.Length != 2 || shape[1] != InputSize || shape[0] < 1)
            throw new ArgumentException($"{GetType().Name} expects input of shape [B, {InputSize}] with B ≥ 1 but got [{string.Join(", ", shape.ToArray())}].", "input");
    }

    private void CheckState(Tensor? state, ReadOnlySpan<int> shape, string name)
    {
        if (state is not null && !state.HasShape(shape))
            throw new ArgumentException($"{GetType().Name} expects {name} of shape [{string.Join(", ", shape.ToArray())}] but got [{string.Join(", ", state.Shape.ToArray())}].", name);
    }

    private Tensor Register(string name, Tensor tensor, float bound, RandomSource random)
    {
        random.FillUniform(tensor.Span, -bound, bound);
        return RegisterParameter(name, tensor);
    }
}
