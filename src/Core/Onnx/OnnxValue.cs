namespace MLNetExt.Core.Onnx;

/// <summary>
/// A tensor flowing through a graph under construction: its name in the graph, element type and shape. Exporters
/// pass these from layer to layer, so each layer knows the rank and fixed sizes of what it reads.
/// </summary>
/// <param name="Name">The value's name in the graph (a graph input, an initializer or a node output).</param>
/// <param name="ElementType">The element type.</param>
/// <param name="Shape">The dimensions, fixed or symbolic.</param>
public sealed record OnnxValue(string Name, OnnxElementType ElementType, IReadOnlyList<OnnxDim> Shape)
{
    /// <summary>The number of dimensions.</summary>
    public int Rank => Shape.Count;

    /// <summary>The same tensor under another name, element type or shape (for the output of a node).</summary>
    public OnnxValue As(string name, OnnxElementType? elementType = null, IReadOnlyList<OnnxDim>? shape = null)
        => new(name, elementType ?? ElementType, shape ?? Shape);

    /// <inheritdoc />
    public override string ToString() => $"{Name}: {ElementType}[{string.Join(", ", Shape)}]";
}
