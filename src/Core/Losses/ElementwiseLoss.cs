using System.Numerics.Tensors;
using MLNetExt.Core.Autograd;
using MLNetExt.Core.Kernels;

namespace MLNetExt.Core.Losses;

/// <summary>
/// A loss that is a function ℓ(xᵢ, tᵢ) of each input element and its target, then reduced.
/// Shapes: input [*], target [*] (same shape) → [] or, with <see cref="Reduction.None"/>, [*].
/// Backward: dX += dY ⊙ ∂ℓ/∂x (none), or dY · ∂ℓ/∂x scaled by 1 (sum), 1/n (mean) or 1/N (batch mean).
/// </summary>
public abstract class ElementwiseLoss : Loss
{
    /// <summary>Stores the reduction.</summary>
    private protected ElementwiseLoss(Reduction reduction, bool allowsBatchMean = false) : base(reduction, allowsBatchMean) { }

    /// <inheritdoc />
    /// <exception cref="ArgumentException">Input and target shapes differ, or the input is otherwise invalid for this loss.</exception>
    public override Tensor Forward(Tensor input, Tensor target, Tape? tape = null)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(target);
        if (!input.HasShape(target.Shape))
            throw new ArgumentException($"{GetType().Name} needs input and target of the same shape but got input {ShapeText(input.Shape)} and target {ShapeText(target.Shape)}.", nameof(target));
        Validate(input, target);
        Tensor y;
        if (Reduction == Reduction.None)
        {
            y = Tape.Allocate(tape, input.Shape, clear: false);
            ComputeLoss(input, target, y.Span);
        }
        else
        {
            y = Tape.Allocate(tape, [], clear: false);
            var perElement = Scratch(input.Length);
            ComputeLoss(input, target, perElement);
            y.Data[0] = TensorPrimitives.Sum<float>(perElement) * ReductionScale(input);
        }
        if (Tape.ShouldRecord(tape, input)) tape!.Record(new TapeNode(this, y, input, target));
        return y;
    }

    /// <summary>Checks loss-specific requirements (value ranges, extra weights); input and target shapes already match.</summary>
    private protected virtual void Validate(Tensor input, Tensor target) { }

    /// <summary>Writes ℓ(xᵢ, tᵢ) for every element into <paramref name="destination"/>.</summary>
    private protected abstract void ComputeLoss(Tensor input, Tensor target, Span<float> destination);

    /// <summary>Writes ∂ℓ(xᵢ, tᵢ)/∂xᵢ for every element into <paramref name="destination"/>.</summary>
    private protected abstract void ComputeGradient(Tensor input, Tensor target, Span<float> destination);

    private protected sealed override void Backward(Tape tape, in TapeNode node)
    {
        Tensor input = node.A!, target = node.B!;
        var dX = Tape.GradOf(input);
        var gradient = Scratch(input.Length);
        ComputeGradient(input, target, gradient);
        var dY = node.Output.Grad!.Span;
        if (Reduction == Reduction.None) ElementwiseLoop.FusedMultiplyAccumulate(gradient, dY, dX);
        else ElementwiseLoop.FusedMultiplyAccumulate(gradient, dY[0] * ReductionScale(input), dX);
    }

    private float ReductionScale(Tensor input) => Reduction switch
    {
        Reduction.Mean => 1f / input.Length,
        Reduction.BatchMean => 1f / (input.Rank == 0 ? 1 : input.Dim(0)),
        _ => 1f,
    };
}
