namespace MLNetExt.Core.Onnx;

/// <summary>
/// A layer that writes itself into an ONNX graph, as PyTorch's exporter has each module emit its own nodes.
/// </summary>
/// <remarks>
/// <para>Why an interface on the modules rather than exporter classes registered in one table: the nodes a layer
/// emits must agree with its <c>Forward</c> (gate orders, ε, which statistics batch norm uses), so they belong next
/// to it, in the same file, where a change to one is seen beside the other; the compiler then tells which modules
/// can be exported (<c>module is IOnnxExportable</c>), with no registration to forget. Composite modules
/// (<see cref="Modules.Sequential"/>, the networks in the trainers) export their children through
/// <see cref="OnnxExport.Module"/>.</para>
/// <para>The graph written is always the inference graph, whatever the module's <see cref="Modules.Module.Training"/>
/// flag: dropout is the identity and batch normalization uses the running statistics.</para>
/// </remarks>
public interface IOnnxExportable
{
    /// <summary>Adds this layer's nodes and initializers to <paramref name="graph"/>, reading <paramref name="input"/>.</summary>
    /// <param name="graph">The graph under construction.</param>
    /// <param name="input">The layer's input, with the shape the layer's <c>Forward</c> would accept.</param>
    /// <param name="scope">The layer's path in the module tree (its <c>state_dict</c> prefix without the final dot, e.g.
    /// <c>rnn</c> or <c>2</c>; "" for the root): initializers are named <c>scope.weight</c> and nodes <c>/scope/Op</c>.</param>
    /// <returns>The layer's output.</returns>
    /// <exception cref="ArgumentException">The input's type or shape does not suit the layer.</exception>
    /// <exception cref="NotSupportedException">The layer's configuration has no inference graph (e.g. batch norm without running statistics).</exception>
    OnnxValue ExportOnnx(OnnxGraphBuilder graph, OnnxValue input, string scope);
}
