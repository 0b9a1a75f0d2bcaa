namespace MLNetExt.Core.Autograd;

/// <summary>
/// Reverse-mode automatic differentiation: a tape of operations in the order they ran, and an arena of tensors
/// for their outputs. <see cref="Backward"/> walks the tape in reverse (PyTorch's semantics: gradients of leaves
/// accumulate with <c>+=</c> until zeroed).
/// </summary>
/// <remarks>
/// <para>A training step is: <see cref="Reset"/>, forward ops (each allocates its output with
/// <see cref="Allocate(ReadOnlySpan{int}, bool)"/> and records itself with <see cref="Record"/>), loss, <see cref="Backward"/>, optimizer
/// step. Because <see cref="Reset"/> rewinds the arena instead of freeing it, a step that repeats the same ops
/// with the same shapes gets the same tensor objects back and allocates nothing in steady state.</para>
/// <para>Tensors handed out by the arena are valid until the next <see cref="Reset"/>. Copy anything that must
/// outlive the step. A tape is not thread-safe; use one per training loop.</para>
/// <para>Ops called with a <c>null</c> tape run in inference mode: nothing is recorded and outputs are freshly
/// allocated tensors.</para>
/// </remarks>
public sealed class Tape
{
    private readonly List<TapeNode> _nodes = new(256);
    private readonly List<Tensor> _arena = new(256);
    private readonly ViewArena _views = new();
    private int _arenaCursor;

    /// <summary>When false, ops still allocate from the arena but record nothing (inference with buffer reuse).</summary>
    public bool IsRecording { get; set; } = true;

    /// <summary>The number of nodes recorded since the last <see cref="Reset"/>.</summary>
    public int Count => _nodes.Count;

    /// <summary>
    /// Returns an output tensor of the given shape: the next arena tensor (reshaped, zero-filled when
    /// <paramref name="clear"/>) or, with no tape, a new tensor.
    /// </summary>
    public static Tensor Allocate(Tape? tape, ReadOnlySpan<int> shape, bool clear = true)
        => tape is null ? new Tensor(shape) : tape.Allocate(shape, clear);

    /// <summary>Returns the next arena tensor, with the given shape, zero-filled when <paramref name="clear"/>.</summary>
    public Tensor Allocate(ReadOnlySpan<int> shape, bool clear = true)
    {
        Tensor t;
        if (_arenaCursor < _arena.Count)
        {
            t = _arena[_arenaCursor];
            t.Reinitialize(shape, clear);
            t.RequiresGrad = false;
        }
        else
        {
            t = new Tensor(shape);
            _arena.Add(t);
        }
        _arenaCursor++;
        return t;
    }

    /// <summary>
    /// A tensor that shares <paramref name="source"/>'s storage under a new shape: free, nothing is copied.
    /// With no tape, a new view object.
    /// </summary>
    public static Tensor View(Tape? tape, Tensor source, ReadOnlySpan<int> shape)
        => tape is null ? new Tensor(source.Data, shape) : tape._views.View(source, shape);

    /// <summary>
    /// True when an op on these inputs must be recorded: the tape is recording and some input requires a gradient.
    /// </summary>
    public static bool ShouldRecord(Tape? tape, Tensor? a, Tensor? b = null, Tensor? c = null)
        => tape is { IsRecording: true } && ((a?.RequiresGrad ?? false) || (b?.RequiresGrad ?? false) || (c?.RequiresGrad ?? false));

    /// <summary>Appends a node; marks its output as requiring a gradient.</summary>
    public void Record(in TapeNode node)
    {
        node.Output.RequiresGrad = true;
        _nodes.Add(node);
    }

    /// <summary>The gradient buffer of <paramref name="t"/>, created zero-filled on first use.</summary>
    public static Span<float> GradOf(Tensor t) => t.EnsureGrad().Span;

    /// <summary>
    /// Back-propagates from <paramref name="loss"/>: seeds dL/dloss with ones (a scalar loss gets 1) and runs every
    /// recorded node's backward in reverse order. Leaf gradients accumulate; call the optimizer's ZeroGrad between steps.
    /// </summary>
    /// <exception cref="InvalidOperationException">The loss was not produced by an op recorded on this tape.</exception>
    public void Backward(Tensor loss)
    {
        ArgumentNullException.ThrowIfNull(loss);
        if (!loss.RequiresGrad)
            throw new InvalidOperationException("The loss does not require a gradient: no recorded operation produced it from a tensor with RequiresGrad set.");
        GradOf(loss).Fill(1f);
        for (int i = _nodes.Count - 1; i >= 0; i--)
        {
            var node = _nodes[i];
            if (node.Output.Grad is null) continue;
            node.Op.Backward(this, in node);
        }
    }

    /// <summary>Forgets the recorded nodes and rewinds the arena for the next step. Arena tensors are reused.</summary>
    public void Reset()
    {
        _nodes.Clear();
        _arenaCursor = 0;
        _views.Reset();
    }
}
