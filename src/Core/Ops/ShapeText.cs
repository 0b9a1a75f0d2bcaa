namespace MLNetExt.Core.Ops;

/// <summary>Formats shapes for error messages as PyTorch prints them: <c>[2, 3, 8, 8]</c>.</summary>
internal static class ShapeText
{
    public static string Of(ReadOnlySpan<int> shape) => "[" + string.Join(", ", shape.ToArray()) + "]";

    public static string Of(Tensor tensor) => Of(tensor.Shape);
}
