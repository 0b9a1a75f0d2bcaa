using MLNetExt.Core.Autograd;
using MLNetExt.Core.Onnx;
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
    private readonly RecurrentMode _mode;

    private protected RecurrentCellBase(RecurrentMode mode, int inputSize, int hiddenSize, bool bias, RandomSource? random)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(inputSize, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(hiddenSize, 1);
        InputSize = inputSize;
        HiddenSize = hiddenSize;
        _mode = mode;
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

    /// <summary>
    /// Exports one step as ONNX nodes, the gates written out (two Gemm, then the gate math in PyTorch's order, so no
    /// reordering of weights): LSTM i, f, g, o with c' = σ(f)⊙c + σ(i)⊙tanh(g), h' = σ(o)⊙tanh(c'); GRU r, z, n with
    /// n = tanh(W_in·x + b_in + r⊙(W_hn·h + b_hn)), h' = (1 − z)⊙n + z⊙h; RNN h' = tanh or relu of the sum. Parameters
    /// become initializers named <c>scope.weight_ih</c> etc. Shapes: input [B, I], hidden and cell [B, H] → [B, H].
    /// </summary>
    /// <param name="graph">The graph under construction.</param>
    /// <param name="input">x, float [B, I].</param>
    /// <param name="hidden">h, float [B, H].</param>
    /// <param name="cell">c, float [B, H], for an LSTM cell; null otherwise.</param>
    /// <param name="scope">The cell's path in the module tree.</param>
    /// <returns>h' and, for an LSTM cell, c'.</returns>
    /// <exception cref="ArgumentException">An input is not float, or c is missing for an LSTM cell or given to another.</exception>
    public (OnnxValue Hidden, OnnxValue? Cell) ExportOnnx(OnnxGraphBuilder graph, OnnxValue input, OnnxValue hidden, OnnxValue? cell, string scope)
    {
        ArgumentNullException.ThrowIfNull(graph);
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(hidden);
        ArgumentNullException.ThrowIfNull(scope);
        OnnxExport.RequireFloat(input, GetType().Name);
        OnnxExport.RequireFloat(hidden, GetType().Name);
        if ((_mode == RecurrentMode.Lstm) != (cell is not null))
            throw new ArgumentException(_mode == RecurrentMode.Lstm ? "An LSTM cell needs its cell state c." : $"{GetType().Name} has no cell state.", nameof(cell));
        string Gemm(OnnxValue x, string weight, Tensor w, string bias, Tensor? b) => graph.AddNode("Gemm",
            b is null ? [x.Name, OnnxExport.Parameter(graph, scope, weight, w).Name] : [x.Name, OnnxExport.Parameter(graph, scope, weight, w).Name, OnnxExport.Parameter(graph, scope, bias, b).Name],
            scope, OnnxAttribute.Int("transB", 1));
        string gi = Gemm(input, "weight_ih", WeightIh, "bias_ih", BiasIh);  // [B, G·H]
        string gh = Gemm(hidden, "weight_hh", WeightHh, "bias_hh", BiasHh);  // [B, G·H]
        string Node(string op, params string[] inputs) => graph.AddNode(op, inputs, scope);
        var state = hidden.Shape;
        switch (_mode)
        {
            case RecurrentMode.Lstm:
                {
                    var gates = graph.AddNodeOutputs("Split", [Node("Add", gi, gh), graph.Int64Constant(HiddenSize, HiddenSize, HiddenSize, HiddenSize)], 4, scope, "", OnnxAttribute.Int("axis", 1));
                    string c = Node("Add", Node("Mul", Node("Sigmoid", gates[1]), cell!.Name), Node("Mul", Node("Sigmoid", gates[0]), Node("Tanh", gates[2])));
                    string h = Node("Mul", Node("Sigmoid", gates[3]), Node("Tanh", c));
                    return (new OnnxValue(h, OnnxElementType.Float, state), new OnnxValue(c, OnnxElementType.Float, state));
                }
            case RecurrentMode.Gru:
                {
                    string sizes = graph.Int64Constant(HiddenSize, HiddenSize, HiddenSize);
                    var x = graph.AddNodeOutputs("Split", [gi, sizes], 3, scope, "", OnnxAttribute.Int("axis", 1));
                    var h = graph.AddNodeOutputs("Split", [gh, sizes], 3, scope, "", OnnxAttribute.Int("axis", 1));
                    string r = Node("Sigmoid", Node("Add", x[0], h[0]));
                    string z = Node("Sigmoid", Node("Add", x[1], h[1]));
                    string n = Node("Tanh", Node("Add", x[2], Node("Mul", r, h[2])));
                    // h' = (1 − z)⊙n + z⊙h = n + z⊙(h − n)
                    return (new OnnxValue(Node("Add", n, Node("Mul", z, Node("Sub", hidden.Name, n))), OnnxElementType.Float, state), null);
                }
            default:
                return (new OnnxValue(Node(_mode == RecurrentMode.RnnRelu ? "Relu" : "Tanh", Node("Add", gi, gh)), OnnxElementType.Float, state), null);
        }
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
