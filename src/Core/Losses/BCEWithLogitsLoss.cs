using MLNetExt.Core.Kernels;

namespace MLNetExt.Core.Losses;

/// <summary>
/// Binary cross-entropy on logits, <c>torch.nn.BCEWithLogitsLoss</c>: ℓ = −[w·t·log σ(x) + (1 − t)·log(1 − σ(x))],
/// computed as (1 − t)·x + (1 + (w − 1)·t)·log(1 + e⁻ˣ) so no exponential overflows; ∂ℓ/∂x = (w·t + 1 − t)·σ(x) − w·t.
/// w is the positive-class weight <c>pos_weight</c> for the class in the last dimension (1 without it).
/// Shapes: input [*, C], target [*, C], pos_weight [C] → [] or [*, C].
/// </summary>
public sealed class BCEWithLogitsLoss : ElementwiseLoss
{
    private float[] _ones = [];

    /// <summary>Creates the loss.</summary>
    /// <param name="posWeight">Optional weight of positive examples per class (last dimension), [C]; copied.</param>
    /// <param name="reduction">How to combine the per-element losses (default: mean).</param>
    /// <exception cref="ArgumentException"><paramref name="posWeight"/> is not one-dimensional.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The reduction is not None, Mean or Sum.</exception>
    public BCEWithLogitsLoss(Tensor? posWeight = null, Reduction reduction = Reduction.Mean) : base(reduction)
    {
        if (posWeight is not null && posWeight.Rank != 1)
            throw new ArgumentException($"pos_weight must be [C] but got {ShapeText(posWeight.Shape)}.", nameof(posWeight));
        PosWeight = posWeight?.Clone();
        if (PosWeight is not null) PosWeight.RequiresGrad = false;
    }

    /// <summary>The positive-class weights [C], or null.</summary>
    public Tensor? PosWeight { get; }

    /// <exception cref="ArgumentException">pos_weight's length differs from the input's last dimension.</exception>
    private protected override void Validate(Tensor input, Tensor target)
    {
        if (PosWeight is not null && (input.Rank == 0 || input.Dim(-1) != PosWeight.Length))
            throw new ArgumentException($"pos_weight has {PosWeight.Length} classes but the input {ShapeText(input.Shape)} has a last dimension of {(input.Rank == 0 ? 1 : input.Dim(-1))}.", nameof(input));
    }

    private protected override void ComputeLoss(Tensor input, Tensor target, Span<float> destination)
        => MapRows(input, target, destination, default(BinaryCrossEntropyWithLogitsOperator));

    private protected override void ComputeGradient(Tensor input, Tensor target, Span<float> destination)
        => MapRows(input, target, destination, default(BinaryCrossEntropyWithLogitsGradientOperator));

    // pos_weight repeats along the last dimension; without it one block of ones covers the whole tensor.
    private void MapRows<TOp>(Tensor input, Tensor target, Span<float> destination, TOp op) where TOp : struct, ITernaryOperator
    {
        int block = PosWeight?.Length ?? input.Length;
        ReadOnlySpan<float> weights = PosWeight is null ? Ones(block) : PosWeight.Span;
        var x = input.Span;
        var t = target.Span;
        for (int start = 0; start < x.Length; start += block)
            ElementwiseLoop.Map(x.Slice(start, block), t.Slice(start, block), weights, destination.Slice(start, block), op);
    }

    private ReadOnlySpan<float> Ones(int length)
    {
        if (_ones.Length < length)
        {
            _ones = new float[length];
            _ones.AsSpan().Fill(1f);
        }
        return _ones.AsSpan(0, length);
    }
}
