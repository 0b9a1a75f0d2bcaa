using System.Globalization;
using MLNetExt.Core.Autograd;
using MLNetExt.Core.Onnx;
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
public abstract class RecurrentBase : Module, IOnnxExportable
{
    private readonly RecurrentOp _op;
    private readonly RecurrentMode _mode;

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
        _mode = mode;
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

    /// <summary>
    /// Exports the stack to ONNX, one <c>LSTM</c>, <c>GRU</c> or <c>RNN</c> node per layer (both directions in one node
    /// with <c>direction="bidirectional"</c>), from zero initial states.
    /// </summary>
    /// <remarks>
    /// <para>The parameters are initializers under their PyTorch names (<c>scope.weight_ih_l0</c>, …, in PyTorch's
    /// layout), so a saved graph gives back the <c>state_dict</c>. Small constant subgraphs turn them into ONNX's
    /// W [D, G·H, in], R [D, G·H, H] and B [D, 2·G·H]: the gate blocks are reordered from PyTorch's i, f, g, o to ONNX's
    /// i, o, f, c for an LSTM and from r, z, n to z, r, h for a GRU (with <c>linear_before_reset=1</c>, PyTorch's
    /// form of the candidate), and B is W_b then R_b. ONNX Runtime folds these subgraphs when it loads the model.</para>
    /// <para>ONNX's recurrent operators are time-major ([T, B, ·]); a batch-first input is transposed on the way in
    /// and the output on the way out. Between layers, Y [T, D, B, H] becomes [T, B, D·H], the forward half first.</para>
    /// <para><paramref name="lengths"/> becomes every layer's <c>sequence_lens</c>: each sequence stops at its own length
    /// (h_n is its state there; the reverse direction starts there), so padding never reaches the valid steps.</para>
    /// </remarks>
    /// <param name="graph">The graph under construction.</param>
    /// <param name="input">[B, T, I] (batch first) or [T, B, I], float.</param>
    /// <param name="lengths">[B] int32 lengths in [1, T], or null when every sequence has T steps.</param>
    /// <param name="scope">The module's path, e.g. <c>rnn</c>.</param>
    /// <returns>Output [B, T, D·H] (or [T, B, D·H]); h_n [L·D, B, H]; c_n [L·D, B, H] for an LSTM.</returns>
    /// <exception cref="ArgumentException">The input is not float [·, ·, I] or the lengths are not int32 [B].</exception>
    public RecurrentOnnxOutput ExportOnnx(OnnxGraphBuilder graph, OnnxValue input, OnnxValue? lengths, string scope)
    {
        ArgumentNullException.ThrowIfNull(graph);
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(scope);
        OnnxExport.RequireFloat(input, GetType().Name);
        if (input.Rank != 3 || !input.Shape[2].Equals(OnnxDim.Fixed(InputSize)))
            throw new ArgumentException($"{GetType().Name} expects input {(BatchFirst ? "[B, T, " : "[T, B, ")}{InputSize}] but got {input}.", nameof(input));
        if (lengths is not null && (lengths.ElementType != OnnxElementType.Int32 || lengths.Rank != 1))
            throw new ArgumentException($"Sequence lengths must be int32 [B] but got {lengths}.", nameof(lengths));
        OnnxDim batch = input.Shape[BatchFirst ? 0 : 1], steps = input.Shape[BatchFirst ? 1 : 0];
        var parameters = NamedParameters().ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal);
        string opType = _mode switch { RecurrentMode.Lstm => "LSTM", RecurrentMode.Gru => "GRU", _ => "RNN" };
        int outputCount = IsLstm ? 3 : 2;
        var attributes = new List<Onnx.Protobuf.AttributeProto>
        {
            OnnxAttribute.Int("hidden_size", HiddenSize),
            OnnxAttribute.String("direction", Bidirectional ? "bidirectional" : "forward"),
        };
        if (_mode == RecurrentMode.Gru) attributes.Add(OnnxAttribute.Int("linear_before_reset", 1));
        if (_mode is RecurrentMode.RnnTanh or RecurrentMode.RnnRelu)
        {
            string activation = _mode == RecurrentMode.RnnTanh ? "Tanh" : "Relu";
            attributes.Add(OnnxAttribute.Strings("activations", Bidirectional ? [activation, activation] : [activation]));
        }

        // x [T, B, in]
        string x = BatchFirst ? graph.AddNode("Transpose", [input.Name], scope, OnnxAttribute.Ints("perm", 1, 0, 2)) : input.Name;
        var hidden = new string[NumLayers];
        var cell = new string[NumLayers];
        for (int layer = 0; layer < NumLayers; layer++)
        {
            string w = StackDirections(graph, scope, parameters, "weight_ih", layer);  // [D, G·H, in]
            string r = StackDirections(graph, scope, parameters, "weight_hh", layer);  // [D, G·H, H]
            string b = Bias ? StackDirections(graph, scope, parameters, "bias", layer) : "";  // [D, 2·G·H]
            var outputs = graph.AddNodeOutputs(opType, [x, w, r, b, lengths?.Name ?? ""], outputCount, scope, "", [.. attributes]);
            // outputs[0]: Y [T, D, B, H] → [T, B, D, H] → [T, B, D·H]
            string transposed = graph.AddNode("Transpose", [outputs[0]], scope, OnnxAttribute.Ints("perm", 0, 2, 1, 3));
            x = graph.AddNode("Reshape", [transposed, graph.Int64Constant(0, 0, -1)], scope);
            hidden[layer] = outputs[1];  // [D, B, H]
            if (IsLstm) cell[layer] = outputs[2];  // [D, B, H]
        }

        OnnxDim width = Directions * HiddenSize;
        var output = BatchFirst
            ? new OnnxValue(graph.AddNode("Transpose", [x], scope, OnnxAttribute.Ints("perm", 1, 0, 2)), OnnxElementType.Float, [batch, steps, width])
            : new OnnxValue(x, OnnxElementType.Float, [steps, batch, width]);
        OnnxDim[] stateShape = [NumLayers * Directions, batch, HiddenSize];
        var hiddenState = new OnnxValue(ConcatLayers(graph, scope, hidden), OnnxElementType.Float, stateShape);
        var cellState = IsLstm ? new OnnxValue(ConcatLayers(graph, scope, cell), OnnxElementType.Float, stateShape) : null;
        return new RecurrentOnnxOutput(output, hiddenState, cellState);
    }

    /// <summary>Exports the stack on full-length sequences and returns its output (see <see cref="ExportOnnx(OnnxGraphBuilder, OnnxValue, OnnxValue?, string)"/>).</summary>
    OnnxValue IOnnxExportable.ExportOnnx(OnnxGraphBuilder graph, OnnxValue input, string scope) => ExportOnnx(graph, input, null, scope).Output;

    // ONNX's gate order as indices into PyTorch's blocks: LSTM i, o, f, c from i, f, g, o; GRU z, r, h from r, z, n.
    private int[] OnnxGateOrder => _mode switch
    {
        RecurrentMode.Lstm => [0, 3, 1, 2],
        RecurrentMode.Gru => [1, 0, 2],
        _ => [0],
    };

    // Weights: [D, G·H, in] from weight_*_l{layer}[_reverse] [G·H, in]. Biases ("bias"): [D, 2·G·H] from bias_ih and bias_hh [G·H].
    private string StackDirections(OnnxGraphBuilder graph, string scope, Dictionary<string, Tensor> parameters, string name, int layer)
    {
        var directions = new string[Directions];
        for (int direction = 0; direction < Directions; direction++)
        {
            string suffix = "_l" + layer.ToString(CultureInfo.InvariantCulture) + (direction == 1 ? "_reverse" : "");
            string stacked = name == "bias"
                ? graph.AddNode("Concat", [ReorderGates(graph, scope, parameters, "bias_ih" + suffix), ReorderGates(graph, scope, parameters, "bias_hh" + suffix)], scope, OnnxAttribute.Int("axis", 0))
                : ReorderGates(graph, scope, parameters, name + suffix);
            directions[direction] = graph.AddNode("Unsqueeze", [stacked, graph.Int64Constant(0)], scope);
        }
        return Directions == 1 ? directions[0] : graph.AddNode("Concat", directions, scope, OnnxAttribute.Int("axis", 0));
    }

    // parameter [G·H, *] in PyTorch's gate order → the same rows in ONNX's gate order.
    private string ReorderGates(OnnxGraphBuilder graph, string scope, Dictionary<string, Tensor> parameters, string name)
    {
        string parameter = OnnxExport.Parameter(graph, scope, name, parameters[name]).Name;
        int[] order = OnnxGateOrder;
        if (order.Length == 1) return parameter;
        var sizes = new long[order.Length];
        Array.Fill(sizes, HiddenSize);
        var blocks = graph.AddNodeOutputs("Split", [parameter, graph.Int64Constant(sizes)], order.Length, scope, "", OnnxAttribute.Int("axis", 0));
        return graph.AddNode("Concat", Array.ConvertAll(order, gate => blocks[gate]), scope, OnnxAttribute.Int("axis", 0));
    }

    // L states [D, B, H] → [L·D, B, H], layer l direction d at index l·D + d.
    private static string ConcatLayers(OnnxGraphBuilder graph, string scope, string[] states)
        => states.Length == 1 ? states[0] : graph.AddNode("Concat", states, scope, OnnxAttribute.Int("axis", 0));

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
