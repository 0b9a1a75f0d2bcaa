using MLNetExt.Core.Autograd;
using MLNetExt.Core.Ops;
using MLNetExt.Core.Onnx;

namespace MLNetExt.Core.Modules;

/// <summary><c>torch.nn.GELU</c>: y = x·Φ(x), or its tanh approximation. Shapes: [*] → [*].</summary>
public sealed class GELU : Module, IOnnxExportable
{
    /// <summary>Creates the layer (PyTorch's default: exact, <c>approximate='none'</c>).</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="approximation"/> is not a defined value.</exception>
    public GELU(GeluApproximation approximation = GeluApproximation.None)
    {
        if (!Enum.IsDefined(approximation))
            throw new ArgumentOutOfRangeException(nameof(approximation), approximation, "Expected GeluApproximation.None or GeluApproximation.Tanh.");
        Approximation = approximation;
    }

    /// <summary>Exact or tanh-approximate.</summary>
    public GeluApproximation Approximation { get; }

    /// <inheritdoc />
    public override Tensor Forward(Tensor input, Tape? tape = null) => Activations.Gelu(input, Approximation, tape);

    /// <inheritdoc />
    public override int[] OutputShape(ReadOnlySpan<int> inputShape) => inputShape.ToArray();

    /// <summary>
    /// Emits the formula (opset 17 has no <c>Gelu</c>), as PyTorch's exporter does: exact,
    /// ½·x·(1 + Erf(x/√2)); tanh, ½·x·(1 + Tanh(√(2/π)·(x + 0.044715·x³))). Shapes: [*] → [*].
    /// </summary>
    OnnxValue IOnnxExportable.ExportOnnx(OnnxGraphBuilder graph, OnnxValue input, string scope)
    {
        OnnxExport.RequireFloat(input, nameof(GELU));
        string x = input.Name, inner;
        if (Approximation == GeluApproximation.None)
        {
            string scaled = graph.AddNode("Div", [x, graph.FloatConstant(MathF.Sqrt(2f))], scope);
            inner = graph.AddNode("Erf", [scaled], scope);
        }
        else
        {
            string cube = graph.AddNode("Pow", [x, graph.FloatConstant(3f)], scope);
            string cubic = graph.AddNode("Mul", [cube, graph.FloatConstant(0.044715f)], scope);
            string sum = graph.AddNode("Add", [x, cubic], scope);
            string scaled = graph.AddNode("Mul", [sum, graph.FloatConstant(MathF.Sqrt(2f / MathF.PI))], scope);
            inner = graph.AddNode("Tanh", [scaled], scope);
        }
        string onePlus = graph.AddNode("Add", [inner, graph.FloatConstant(1f)], scope);
        string product = graph.AddNode("Mul", [x, onePlus], scope);
        return input.As(graph.AddNode("Mul", [product, graph.FloatConstant(0.5f)], scope));
    }
}
