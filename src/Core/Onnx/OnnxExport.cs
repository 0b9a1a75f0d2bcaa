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

    /// <summary>Throws a clear error unless <paramref name="input"/> holds floats.</summary>
    internal static void RequireFloat(OnnxValue input, string layer)
    {
        if (input.ElementType != OnnxElementType.Float)
            throw new ArgumentException($"{layer} needs a float input but '{input.Name}' holds {input.ElementType}.", nameof(input));
    }
}
