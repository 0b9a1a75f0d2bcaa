using MLNetExt.Core.Autograd;
using MLNetExt.Core.Ops.Recurrent;

namespace MLNetExt.Core.Modules.Recurrent;

/// <summary>
/// The shared base of <see cref="RNN"/>, <see cref="LSTM"/> and <see cref="GRU"/> (PyTorch's <c>RNNBase</c>): a
/// stack of L recurrent layers, each with D = 1 or 2 directions, run by one fused kernel and recorded on the tape
/// as one node.
/// </summary>
/// <remarks>
/// <para>Shapes, with B the batch, T the steps, I the input size, H the hidden size: input [B, T, I] when
/// <see cref="BatchFirst"/> (the default here, since ML.NET rows are sequences; PyTorch defaults to time-major)
/// or [T, B, I]; output [B, T, D·H] or [T, B, D·H], the forward direction's H columns first; h0, h_n (and c0, c_n)
/// [L·D, B, H] in either layout, layer l direction d at index l·D + d.</para>
/// <para>Parameters, named as PyTorch's <c>state_dict</c>: <c>weight_ih_l{k}</c> [G·H, in_k], <c>weight_hh_l{k}</c>
/// [G·H, H], <c>bias_ih_l{k}</c> and <c>bias_hh_l{k}</c> [G·H], with the suffix <c>_reverse</c> for the backward
/// direction; G = 4 (LSTM, gates i, f, g, o), 3 (GRU, r, z, n) or 1 (RNN); in_0 = I and in_k = D·H above. All are
/// initialized as PyTorch does, from U(−1/√H, 1/√H), in that order.</para>
/// <para>Layer k &gt; 0 reads layer k − 1's output; in training, dropout with probability <see cref="Dropout"/>
/// is applied between layers (not after the last). The reverse direction reads each sequence from its last valid
/// step back to step 0.</para>
/// <para>Variable lengths, as <c>pack_padded_sequence</c> with <c>enforce_sorted=False</c>: a sequence of length ℓ
/// produces zeros at steps t ≥ ℓ, its state stops at step ℓ − 1 (h_n is that state), and padded steps neither
/// receive nor pass on any gradient. Padded input values are never used (they must be finite, since the input
/// projection and its weight gradient run over all B·T rows at once).</para>
/// </remarks>
public abstract class RecurrentBase : Module
{
    private readonly RecurrentOp _op;

    private protected RecurrentBase(RecurrentMode mode, int inputSize, int hiddenSize, int numLayers, bool bias, bool batchFirst,
        float dropout, bool bidirectional, RandomSource? random)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(inputSize, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(hiddenSize, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(numLayers, 1);
        if (!(dropout >= 0f && dropout <= 1f))
            throw new ArgumentOutOfRangeException(nameof(dropout), dropout, "The dropout probability must be in [0, 1].");
        InputSize = inputSize;
        HiddenSize = hiddenSize;
        NumLayers = numLayers;
        Bias = bias;
        BatchFirst = batchFirst;
        Dropout = dropout;
        Bidirectional = bidirectional;
        random ??= RandomSource.Default;

        int directions = bidirectional ? 2 : 1, gates = RecurrentOp.GateCount(mode) * hiddenSize;
        var weightIh = new Tensor[numLayers * directions];
        var weightHh = new Tensor[numLayers * directions];
        var biasIh = new Tensor?[numLayers * directions];
        var biasHh = new Tensor?[numLayers * directions];
        float bound = 1f / MathF.Sqrt(hiddenSize);
        for (int layer = 0; layer < numLayers; layer++)
            for (int direction = 0; direction < directions; direction++)
            {
                int index = layer * directions + direction, layerInput = layer == 0 ? inputSize : directions * hiddenSize;
                string suffix = $"_l{layer}" + (direction == 1 ? "_reverse" : "");
                weightIh[index] = Register("weight_ih" + suffix, new Tensor(gates, layerInput), bound, random);
                weightHh[index] = Register("weight_hh" + suffix, new Tensor(gates, hiddenSize), bound, random);
                if (bias)
                {
                    biasIh[index] = Register("bias_ih" + suffix, new Tensor(gates), bound, random);
                    biasHh[index] = Register("bias_hh" + suffix, new Tensor(gates), bound, random);
                }
            }
        _op = new RecurrentOp(mode, inputSize, hiddenSize, numLayers, directions, batchFirst, dropout,
            weightIh, weightHh, biasIh, biasHh, random.Fork());
        IsLstm = mode == RecurrentMode.Lstm;
    }

    /// <summary>The input width I.</summary>
    public int InputSize { get; }

    /// <summary>The hidden width H of every layer and direction.</summary>
    public int HiddenSize { get; }

    /// <summary>The number of stacked layers L.</summary>
    public int NumLayers { get; }

    /// <summary>True when the layers have bias vectors.</summary>
    public bool Bias { get; }

    /// <summary>True when input and output are [B, T, ·] (the default here); false for PyTorch's [T, B, ·].</summary>
    public bool BatchFirst { get; }

    /// <summary>The dropout probability between layers in training.</summary>
    public float Dropout { get; }

    /// <summary>True when each layer also runs backward in time (D = 2).</summary>
    public bool Bidirectional { get; }

    private bool IsLstm { get; }

    private int Directions => Bidirectional ? 2 : 1;

    /// <summary>
    /// Runs the stack over a batch of sequences. Shapes as in the class remarks: input [B, T, I] (batch first) or
    /// [T, B, I]; <paramref name="lengths"/> empty (every sequence has T steps) or B lengths in [1, T];
    /// <paramref name="h0"/> and <paramref name="c0"/> (LSTM only) [L·D, B, H] or null for zeros.
    /// </summary>
    /// <exception cref="ArgumentException">A shape does not match, a length is outside [1, T], or c0 is given to a GRU or RNN.</exception>
    public RecurrentOutput Forward(Tensor input, ReadOnlySpan<int> lengths, Tensor? h0 = null, Tensor? c0 = null, Tape? tape = null)
    {
        ArgumentNullException.ThrowIfNull(input);
        CheckInput(input.Shape);
        int batch = input.Dim(BatchFirst ? 0 : 1), steps = input.Dim(BatchFirst ? 1 : 0);
        if (!lengths.IsEmpty)
        {
            if (lengths.Length != batch)
                throw new ArgumentException($"{GetType().Name} got {lengths.Length} lengths for a batch of {batch} sequences.", nameof(lengths));
            for (int b = 0; b < batch; b++)
                if (lengths[b] < 1 || lengths[b] > steps)
                    throw new ArgumentOutOfRangeException(nameof(lengths), lengths[b], $"Sequence {b} has length {lengths[b]}, but lengths must be in [1, {steps}].");
        }
        ReadOnlySpan<int> stateShape = [NumLayers * Directions, batch, HiddenSize];
        CheckState(h0, stateShape, nameof(h0));
        if (!IsLstm && c0 is not null)
            throw new ArgumentException($"{GetType().Name} has no cell state; c0 must be null.", nameof(c0));
        CheckState(c0, stateShape, nameof(c0));
        Span<int> outputShape = stackalloc int[3];
        outputShape[0] = BatchFirst ? batch : steps;
        outputShape[1] = BatchFirst ? steps : batch;
        outputShape[2] = Directions * HiddenSize;
        return _op.Forward(input, batch, steps, lengths, h0, c0, outputShape, stateShape, exposeHidden: true, Training, tape);
    }

    /// <summary>Runs the stack on full-length sequences from a zero state and returns the output (see <see cref="Forward(Tensor, ReadOnlySpan{int}, Tensor?, Tensor?, Tape?)"/>).</summary>
    public override Tensor Forward(Tensor input, Tape? tape = null) => Forward(input, default, null, null, tape).Output;

    /// <inheritdoc />
    public override int[] OutputShape(ReadOnlySpan<int> inputShape)
    {
        CheckInput(inputShape);
        return [inputShape[0], inputShape[1], Directions * HiddenSize];
    }

    private void CheckInput(ReadOnlySpan<int> shape)
    {
        // The expected shape is only formatted on failure: a training step must not allocate.
        if (shape.Length != 3 || shape[2] != InputSize || shape[0] < 1 || shape[1] < 1)
            throw new ArgumentException($"{GetType().Name} expects input of shape {(BatchFirst ? "[B, T, " : "[T, B, ")}{InputSize}] with B, T ≥ 1 but got [{string.Join(", ", shape.ToArray())}].", "input");
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
