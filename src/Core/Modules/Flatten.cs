using MLNetExt.Core.Autograd;
using MLNetExt.Core.Ops;

namespace MLNetExt.Core.Modules;

/// <summary>
/// Merges the dimensions <see cref="StartDim"/>..<see cref="EndDim"/> (inclusive) into one, <c>torch.nn.Flatten</c>.
/// Shapes: [d₀, …, d_start, …, d_end, …] → [d₀, …, d_start·…·d_end, …]; the default turns [N, *] into [N, product(*)].
/// </summary>
/// <remarks>A free view: the storage is shared and the backward pass routes the gradient back to the input's shape.</remarks>
public sealed class Flatten : Module
{
    /// <summary>Creates the layer. Negative dimensions count from the end (−1 is the last).</summary>
    public Flatten(int startDim = 1, int endDim = -1)
    {
        StartDim = startDim;
        EndDim = endDim;
    }

    /// <summary>The first dimension merged.</summary>
    public int StartDim { get; }

    /// <summary>The last dimension merged (inclusive).</summary>
    public int EndDim { get; }

    /// <inheritdoc />
    /// <exception cref="ArgumentException">The dimensions do not exist in the input or the start comes after the end.</exception>
    public override Tensor Forward(Tensor input, Tape? tape = null)
    {
        ArgumentNullException.ThrowIfNull(input);
        Span<int> shape = stackalloc int[input.Rank];
        int rank = FlattenedShape(input.Shape, shape);
        return TensorOps.Reshape(input, shape[..rank], tape);
    }

    /// <inheritdoc />
    public override int[] OutputShape(ReadOnlySpan<int> inputShape)
    {
        var shape = new int[inputShape.Length];
        int rank = FlattenedShape(inputShape, shape);
        return shape[..rank];
    }

    private int FlattenedShape(ReadOnlySpan<int> input, Span<int> output)
    {
        int rank = input.Length;
        int start = StartDim < 0 ? StartDim + rank : StartDim;
        int end = EndDim < 0 ? EndDim + rank : EndDim;
        if ((uint)start >= (uint)rank || (uint)end >= (uint)rank)
            throw new ArgumentException(
                $"Flatten({StartDim}, {EndDim}) needs dimensions that exist in the input but got [{string.Join(", ", input.ToArray())}] (rank {rank}).", "input");
        if (start > end)
            throw new ArgumentException(
                $"Flatten({StartDim}, {EndDim}): the start dimension {start} comes after the end dimension {end} for input [{string.Join(", ", input.ToArray())}].", "input");
        input[..start].CopyTo(output);
        int merged = 1;
        for (int axis = start; axis <= end; axis++) merged *= input[axis];
        output[start] = merged;
        input[(end + 1)..].CopyTo(output[(start + 1)..]);
        return rank - (end - start);
    }
}
