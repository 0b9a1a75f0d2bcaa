using MLNetExt.Core.Autograd;

namespace MLNetExt.Core.Losses;

/// <summary>
/// Base of the loss functions (PyTorch's <c>torch.nn</c> losses): maps a prediction and a target to a scalar
/// (or, with <see cref="Reduction.None"/>, to one value per element). The target is a constant: gradients flow to
/// the input only.
/// </summary>
/// <remarks>
/// A loss is its own <see cref="IBackward"/> and keeps reusable scratch buffers, so a training step in steady state
/// allocates nothing. A loss object is not thread-safe.
/// </remarks>
public abstract class Loss : IBackward
{
    private float[] _scratch = [];

    /// <summary>Validates and stores the reduction.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The reduction is undefined, or <see cref="Reduction.BatchMean"/> for a loss other than KL-divergence.</exception>
    private protected Loss(Reduction reduction, bool allowsBatchMean = false)
    {
        if (!Enum.IsDefined(reduction) || (reduction == Reduction.BatchMean && !allowsBatchMean))
            throw new ArgumentOutOfRangeException(nameof(reduction), reduction,
                allowsBatchMean ? "Expected None, Mean, Sum or BatchMean." : $"{GetType().Name} supports Reduction.None, Mean or Sum.");
        Reduction = reduction;
    }

    /// <summary>How per-element values are combined.</summary>
    public Reduction Reduction { get; }

    /// <summary>
    /// Computes the loss. Shapes: input and target as the concrete loss documents → [] (a scalar), or the
    /// per-element shape under <see cref="Reduction.None"/>. With a recording <paramref name="tape"/> and an input
    /// that requires a gradient, the loss is recorded for <see cref="Tape.Backward"/>.
    /// </summary>
    public abstract Tensor Forward(Tensor input, Tensor target, Tape? tape = null);

    void IBackward.Backward(Tape tape, in TapeNode node) => Backward(tape, node);

    /// <summary>Accumulates dL/dInput for a node this loss recorded.</summary>
    private protected abstract void Backward(Tape tape, in TapeNode node);

    /// <summary>A reusable buffer of at least <paramref name="length"/> floats, sliced to that length.</summary>
    private protected Span<float> Scratch(int length)
    {
        if (_scratch.Length < length) _scratch = new float[length];
        return _scratch.AsSpan(0, length);
    }

    /// <summary>"[2, 3]" for error messages.</summary>
    private protected static string ShapeText(ReadOnlySpan<int> shape) => $"[{string.Join(", ", shape.ToArray())}]";
}
