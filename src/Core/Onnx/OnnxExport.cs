using MLNetExt.Core.Modules;

namespace MLNetExt.Core.Onnx;

/// <summary>Entry points and shared pieces for exporting layers (see <see cref="IOnnxExportable"/>).</summary>
public static class OnnxExport
{
    /// <summary>Exports <paramref name="module"/> into <paramref name="graph"/>, reading <paramref name="input"/>.</summary>
    /// <param name="graph">The graph under construction.</param>
    /// <param name="module">The layer.</param>
    /// <param name="input">The layer's input.</param>
    /// <param name="scope">The layer's path in the module tree ("" for the root).</param>
    /// <returns>The layer's output.</returns>
    /// <exception cref="NotSupportedException">The layer does not implement <see cref="IOnnxExportable"/>.</exception>
    public static OnnxValue Module(OnnxGraphBuilder graph, Module module, OnnxValue input, string scope = "")
    {
        ArgumentNullException.ThrowIfNull(graph);
        ArgumentNullException.ThrowIfNull(module);
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(scope);
        if (module is not IOnnxExportable exportable)
            throw new NotSupportedException($"{module.GetType().Name} (at '{scope}') has no ONNX export.");
        return exportable.ExportOnnx(graph, input, scope);
    }

    /// <summary>The full name of <paramref name="name"/> inside <paramref name="scope"/>: <c>scope.name</c>, or <c>name</c> at the root.</summary>
    public static string Join(string scope, string name) => scope.Length == 0 ? name : scope + "." + name;

    /// <summary>Adds <paramref name="parameter"/> as an initializer named by its <c>state_dict</c> key (<c>scope.name</c>).</summary>
    internal static OnnxValue Parameter(OnnxGraphBuilder graph, string scope, string name, Tensor parameter)
        => graph.AddInitializer(Join(scope, name), parameter);

    /// <summary>One node with one input and an output of the same type and shape (activations, Identity).</summary>
    internal static OnnxValue Unary(OnnxGraphBuilder graph, string opType, OnnxValue input, string scope,
        params ReadOnlySpan<Protobuf.AttributeProto> attributes)
    {
        RequireFloat(input, opType);
        return input.As(graph.AddNode(opType, [input.Name], scope, attributes));
    }

    /// <summary>
    /// The output shape [N, <paramref name="channels"/>, spatial…] of a convolution or pooling over
    /// <paramref name="input"/> [N, C, spatial…], whose every output spatial size depends on the same input axis only:
    /// a fixed size is mapped by <paramref name="outputSize"/> (input size, spatial axis index from 0), a symbolic one
    /// becomes a new symbol, since only the runtime knows it.
    /// </summary>
    /// <exception cref="ArgumentException">A fixed output size comes out below 1: the window does not fit the input.</exception>
    internal static OnnxDim[] WindowedShape(OnnxValue input, OnnxDim channels, string layer, Func<int, int, int> outputSize)
    {
        var shape = new OnnxDim[input.Rank];
        shape[0] = input.Shape[0];
        shape[1] = channels;
        for (int axis = 2; axis < shape.Length; axis++)
        {
            var dim = input.Shape[axis];
            if (!dim.IsFixed)
            {
                shape[axis] = OnnxDim.Named($"{input.Name}_{layer}_dim{axis}");
                continue;
            }
            int size = outputSize(checked((int)dim.Size), axis - 2);
            if (size < 1)
                throw new ArgumentException($"{layer} does not fit the input {input}: axis {axis} of the output would have size {size}.", nameof(input));
            shape[axis] = size;
        }
        return shape;
    }

    /// <summary>Throws a clear error unless <paramref name="input"/> holds floats.</summary>
    internal static void RequireFloat(OnnxValue input, string layer)
    {
        if (input.ElementType != OnnxElementType.Float)
            throw new ArgumentException($"{layer} needs a float input but '{input.Name}' holds {input.ElementType}.", nameof(input));
    }
}
