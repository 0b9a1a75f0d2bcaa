using System.Numerics.Tensors;
using MLNetExt.Core.Autograd;
using MLNetExt.Core.Kernels;

namespace MLNetExt.Core.Losses;

/// <summary>
/// Cross-entropy over logits with integer class targets, <c>torch.nn.CrossEntropyLoss</c> (PyTorch 1.13 semantics):
/// log-softmax and negative log-likelihood fused in one stable kernel. For row i with target tᵢ, class weights w
/// (all 1 without <see cref="Weight"/>), C classes and smoothing ε:
/// <code>
/// nllᵢ    = −w[tᵢ] · log pᵢ[tᵢ]
/// smoothᵢ = −Σ_c w[c] · log pᵢ[c]
/// lossᵢ   = (1 − ε)·nllᵢ + (ε/C)·smoothᵢ          (0 for rows whose target is IgnoreIndex)
/// </code>
/// Mean reduction: (1 − ε)·Σ nllᵢ / D + (ε/C)·Σ smoothᵢ / D, where D = Σ over non-ignored rows of w[tᵢ] (the row
/// count without weights). Gradient: dxᵢⱼ = a·w[tᵢ]·(pᵢⱼ − [j = tᵢ]) + b·(pᵢⱼ·Σ_c w[c] − w[j]) with a, b the
/// reduction's scales of the two terms.
/// Shapes: input [N, C], target [N] → [] or, with <see cref="Reduction.None"/>, [N].
/// </summary>
/// <remarks>
/// The targets are copied into a buffer this loss owns, so one instance serves one recorded call per backward pass;
/// calling the same instance again before <see cref="Tape.Backward"/> of a recorded call is detected and rejected.
/// </remarks>
public sealed class CrossEntropyLoss : Loss
{
    private int[] _targets = [];
    private float[] _nll = [];
    private float[] _smooth = [];
    private float[] _probabilities = [];
    private int _rows;
    private int _generation;

    /// <summary>Creates the loss (PyTorch's defaults: no weights, ignore index −100, no smoothing, mean).</summary>
    /// <param name="weight">Optional per-class weights [C]; copied.</param>
    /// <param name="ignoreIndex">Rows with this target contribute neither loss nor gradient, nor count in the mean.</param>
    /// <param name="labelSmoothing">ε in [0, 1]: the target distribution is (1 − ε)·one-hot + ε/C.</param>
    /// <param name="reduction">How to combine the rows.</param>
    /// <exception cref="ArgumentException"><paramref name="weight"/> is not one-dimensional.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="labelSmoothing"/> is outside [0, 1], or the reduction is not None, Mean or Sum.</exception>
    public CrossEntropyLoss(Tensor? weight = null, int ignoreIndex = -100, float labelSmoothing = 0f, Reduction reduction = Reduction.Mean)
        : base(reduction)
    {
        if (weight is not null && weight.Rank != 1)
            throw new ArgumentException($"Class weights must be [C] but got {ShapeText(weight.Shape)}.", nameof(weight));
        if (!(labelSmoothing >= 0f && labelSmoothing <= 1f))
            throw new ArgumentOutOfRangeException(nameof(labelSmoothing), labelSmoothing, "Label smoothing must lie in [0, 1].");
        Weight = weight?.Clone();
        if (Weight is not null) Weight.RequiresGrad = false;
        IgnoreIndex = ignoreIndex;
        LabelSmoothing = labelSmoothing;
    }

    /// <summary>The per-class weights [C], or null.</summary>
    public Tensor? Weight { get; }

    /// <summary>The target value that marks a row to skip.</summary>
    public int IgnoreIndex { get; }

    /// <summary>The label-smoothing ε.</summary>
    public float LabelSmoothing { get; }

    /// <summary>
    /// Computes the loss for targets given as a tensor [N] of whole numbers (class indices stored as floats).
    /// </summary>
    /// <exception cref="ArgumentException">A target is not a whole number, or a shape does not match.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A target is outside [0, C) and is not <see cref="IgnoreIndex"/>.</exception>
    public override Tensor Forward(Tensor input, Tensor target, Tape? tape = null)
    {
        ArgumentNullException.ThrowIfNull(target);
        if (target.Rank != 1)
            throw new ArgumentException($"CrossEntropyLoss needs class-index targets [N] but got {ShapeText(target.Shape)}.", nameof(target));
        var values = target.Span;
        var indices = TargetBuffer(values.Length);
        for (int i = 0; i < values.Length; i++)
        {
            float v = values[i];
            if (v != MathF.Round(v) || !(Math.Abs(v) < int.MaxValue))
                throw new ArgumentException($"Target row {i} is {v}, which is not a class index.", nameof(target));
            indices[i] = (int)v;
        }
        return ForwardCore(input, tape);
    }

    /// <summary>Computes the loss for integer class indices.</summary>
    /// <param name="input">Logits [N, C].</param>
    /// <param name="target">Class indices [N], each in [0, C) or equal to <see cref="IgnoreIndex"/>.</param>
    /// <param name="tape">Records the loss for backward when the input requires a gradient.</param>
    /// <exception cref="ArgumentException">The input is not [N, C] with N = target length, or the weights are not [C].</exception>
    /// <exception cref="ArgumentOutOfRangeException">A target is outside [0, C) and is not <see cref="IgnoreIndex"/>; the message names the row and the value.</exception>
    public Tensor Forward(Tensor input, ReadOnlySpan<int> target, Tape? tape = null)
    {
        target.CopyTo(TargetBuffer(target.Length));
        return ForwardCore(input, tape);
    }

    private Span<int> TargetBuffer(int length)
    {
        if (_targets.Length < length) _targets = new int[length];
        _rows = length;
        return _targets.AsSpan(0, length);
    }

    private Tensor ForwardCore(Tensor input, Tape? tape)
    {
        ArgumentNullException.ThrowIfNull(input);
        int rows = _rows;
        if (input.Rank != 2 || input.Dim(0) != rows)
            throw new ArgumentException($"CrossEntropyLoss needs logits [N, C] with N = {rows} target rows but got {ShapeText(input.Shape)}.", nameof(input));
        int classes = input.Dim(1);
        if (Weight is not null && Weight.Length != classes)
            throw new ArgumentException($"CrossEntropyLoss has {Weight.Length} class weights but the logits have {classes} classes.", nameof(input));
        ReadOnlySpan<int> targets = _targets.AsSpan(0, rows);
        for (int i = 0; i < rows; i++)
            if (targets[i] != IgnoreIndex && (uint)targets[i] >= (uint)classes)
                throw new ArgumentOutOfRangeException("target", targets[i], $"Target row {i} is class {targets[i]}, outside [0, {classes}) and not the ignore index {IgnoreIndex}.");

        bool record = Tape.ShouldRecord(tape, input);
        Span<float> probabilities;
        Tensor? saved = null;
        if (record)
        {
            saved = tape!.Allocate(input.Shape, clear: false);
            probabilities = saved.Span;
        }
        else probabilities = Grow(ref _probabilities, input.Length);
        var nll = Grow(ref _nll, rows);
        var smooth = Grow(ref _smooth, rows);
        ReadOnlySpan<float> weight = Weight is null ? default : Weight.Span;
        bool withSmoothing = LabelSmoothing > 0f;
        SoftmaxCrossEntropy.Forward(input.Span, targets, weight, classes, IgnoreIndex, withSmoothing, probabilities, nll, smooth);

        float nllFactor = 1f - LabelSmoothing, smoothFactor = classes == 0 ? 0f : LabelSmoothing / classes;
        float denominator = MeanDenominator(targets, weight);
        Tensor y;
        if (Reduction == Reduction.None)
        {
            y = Tape.Allocate(tape, [rows], clear: false);
            TensorPrimitives.Multiply(nll, nllFactor, y.Span);
            if (withSmoothing) TensorPrimitives.FusedMultiplyAdd(smooth, smoothFactor, y.Span, y.Span);
        }
        else
        {
            y = Tape.Allocate(tape, [], clear: false);
            float total = nllFactor * TensorPrimitives.Sum<float>(nll) + (withSmoothing ? smoothFactor * TensorPrimitives.Sum<float>(smooth) : 0f);
            y.Data[0] = Reduction == Reduction.Mean ? total / denominator : total;
        }
        // Every call overwrites the target buffer, so every call advances the generation a pending backward checks.
        _generation++;
        if (record)
            tape!.Record(new TapeNode(this, y, input, IntArg: _generation, FloatArg: denominator, Saved: saved));
        return y;
    }

    private protected override void Backward(Tape tape, in TapeNode node)
    {
        if (node.IntArg != _generation)
            throw new InvalidOperationException("This CrossEntropyLoss was applied again before the backward pass of an earlier call; use one instance per loss term.");
        Tensor input = node.A!;
        int rows = input.Dim(0), classes = input.Dim(1);
        float nllScale = 1f - LabelSmoothing, smoothScale = classes == 0 ? 0f : LabelSmoothing / classes;
        if (Reduction == Reduction.Mean)
        {
            nllScale /= node.FloatArg;
            smoothScale /= node.FloatArg;
        }
        ReadOnlySpan<float> weight = Weight is null ? default : Weight.Span;
        SoftmaxCrossEntropy.Backward(node.Saved!.Span, _targets.AsSpan(0, rows), weight, classes, IgnoreIndex,
            node.Output.Grad!.Span, nllScale, smoothScale, Tape.GradOf(input));
    }

    // Σ w[t] over non-ignored rows (their count without weights): PyTorch's weighted-mean denominator.
    private float MeanDenominator(ReadOnlySpan<int> targets, ReadOnlySpan<float> weight)
    {
        float denominator = 0f;
        foreach (int t in targets)
            if (t != IgnoreIndex) denominator += weight.IsEmpty ? 1f : weight[t];
        return denominator;
    }

    private static Span<float> Grow(ref float[] buffer, int length)
    {
        if (buffer.Length < length) buffer = new float[length];
        return buffer.AsSpan(0, length);
    }
}
