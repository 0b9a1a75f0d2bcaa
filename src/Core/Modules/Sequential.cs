using MLNetExt.Core.Autograd;
using MLNetExt.Core.Onnx;

namespace MLNetExt.Core.Modules;

/// <summary>
/// Layers applied in order, <c>torch.nn.Sequential</c>: output = fₙ(…f₂(f₁(input))). Children are named
/// <c>0</c>, <c>1</c>, … so parameter names match PyTorch's (<c>0.weight</c>, <c>2.bias</c>).
/// </summary>
public sealed class Sequential : Module, IOnnxExportable
{
    private readonly Module[] _layers;

    /// <summary>Creates the chain.</summary>
    /// <exception cref="ArgumentException">No layers were given.</exception>
    public Sequential(params Module[] layers)
    {
        ArgumentNullException.ThrowIfNull(layers);
        if (layers.Length == 0) throw new ArgumentException("Sequential needs at least one layer.", nameof(layers));
        _layers = layers;
        for (int i = 0; i < layers.Length; i++) RegisterModule(i.ToString(System.Globalization.CultureInfo.InvariantCulture), layers[i]);
    }

    /// <summary>The layers, in order.</summary>
    public IReadOnlyList<Module> Layers => _layers;

    /// <inheritdoc />
    public override Tensor Forward(Tensor input, Tape? tape = null)
    {
        var x = input;
        foreach (var layer in _layers) x = layer.Forward(x, tape);
        return x;
    }

    /// <inheritdoc />
    public override int[] OutputShape(ReadOnlySpan<int> inputShape)
    {
        int[] shape = inputShape.ToArray();
        foreach (var layer in _layers) shape = layer.OutputShape(shape);
        return shape;
    }

    /// <summary>Exports each layer in order, layer i in scope <c>scope.i</c>, so initializers are named <c>0.weight</c>, <c>2.bias</c>, ….</summary>
    /// <exception cref="NotSupportedException">A layer has no ONNX export.</exception>
    OnnxValue IOnnxExportable.ExportOnnx(OnnxGraphBuilder graph, OnnxValue input, string scope)
    {
        var x = input;
        for (int i = 0; i < _layers.Length; i++)
            x = OnnxExport.Module(graph, _layers[i], x, OnnxExport.Join(scope, i.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        return x;
    }
}
