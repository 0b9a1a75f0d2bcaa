using MLNetExt.Core.Autograd;
using MLNetExt.Core.Ops;
using MLNetExt.Core.Onnx;

namespace MLNetExt.Core.Modules;

/// <summary>
/// Merges the dimensions <see cref="StartDim"/>..<see cref="EndDim"/> (inclusive) into one, <c>torch.nn.Flatten</c>.
/// Shapes: [d₀, …, d_start, …, d_end, …] → [d₀, …, d_start·…·d_end, …]; the default turns [N, *] into [N, product(*)].
/// </summary>
/// <remarks>A free view: the storage is shared and the backward pass routes the gradient back to the input's shape.</remarks>
public sealed class Flatten : Module, IOnnxExportable
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

    /// <summary>
    /// Emits <c>Reshape</c> to the flattened shape: 0 (copy) for the leading dimensions, the product for the merged
    /// ones and the trailing sizes, with −1 standing for the one dimension that is not fixed (the batch, usually).
    /// </summary>
    /// <exception cref="ArgumentException">The dimensions do not exist, or more than one dimension at or after the start is symbolic.</exception>
    OnnxValue IOnnxExportable.ExportOnnx(OnnxGraphBuilder graph, OnnxValue input, string scope)
    {
        int rank = input.Rank;
        int start = StartDim < 0 ? StartDim + rank : StartDim;
        int end = EndDim < 0 ? EndDim + rank : EndDim;
        if ((uint)start >= (uint)rank || (uint)end >= (uint)rank || start > end)
            throw new ArgumentException($"Flatten({StartDim}, {EndDim}) does not fit the input {input}.", nameof(input));
        var outputShape = new List<OnnxDim>(input.Shape.Take(start));
        var target = new List<long>(Enumerable.Repeat(0L, start));
        bool mergedFixed = input.Shape.Skip(start).Take(end - start + 1).All(d => d.IsFixed);
        long merged = mergedFixed ? input.Shape.Skip(start).Take(end - start + 1).Aggregate(1L, (product, d) => product * d.Size) : -1;
        outputShape.Add(mergedFixed ? merged : OnnxDim.Named(input.Name + "_flattened"));
        target.Add(merged);
        foreach (var dim in input.Shape.Skip(end + 1))
        {
            outputShape.Add(dim);
            target.Add(dim.IsFixed ? dim.Size : -1);
        }
        if (target.Count(size => size == -1) > 1)
            throw new ArgumentException($"Flatten({StartDim}, {EndDim}) can be exported only when at most one dimension from the start on is symbolic, but the input is {input}.", nameof(input));
        string reshaped = graph.AddNode("Reshape", [input.Name, graph.Int64Constant([.. target])], scope);
        return input.As(reshaped, shape: outputShape);
    }
}
