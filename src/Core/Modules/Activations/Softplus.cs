using MLNetExt.Core.Autograd;
using MLNetExt.Core.Ops;
using MLNetExt.Core.Onnx;

namespace MLNetExt.Core.Modules;

/// <summary><c>torch.nn.Softplus</c>: y = log(1 + e^(βx)) / β, linear (y = x) where βx &gt; threshold. Shapes: [*] → [*].</summary>
public sealed class Softplus : Module, IOnnxExportable
{
    /// <summary>Creates the layer with PyTorch's defaults β = 1, threshold = 20.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="beta"/> is not positive and finite.</exception>
    public Softplus(float beta = 1f, float threshold = 20f)
    {
        if (!(beta > 0f) || float.IsInfinity(beta))
            throw new ArgumentOutOfRangeException(nameof(beta), beta, "Softplus needs a positive, finite beta.");
        Beta = beta;
        Threshold = threshold;
    }

    /// <summary>β, the sharpness.</summary>
    public float Beta { get; }

    /// <summary>Above this value of βx the output is x itself.</summary>
    public float Threshold { get; }

    /// <inheritdoc />
    public override Tensor Forward(Tensor input, Tape? tape = null) => Activations.Softplus(input, Beta, Threshold, tape);

    /// <inheritdoc />
    public override int[] OutputShape(ReadOnlySpan<int> inputShape) => inputShape.ToArray();

    /// <summary>
    /// Emits Where(β·x &gt; threshold, x, Softplus(β·x)/β) (ONNX's <c>Softplus</c> has no β or threshold; the
    /// multiplication and division are left out when β = 1). Shapes: [*] → [*].
    /// </summary>
    OnnxValue IOnnxExportable.ExportOnnx(OnnxGraphBuilder graph, OnnxValue input, string scope)
    {
        OnnxExport.RequireFloat(input, nameof(Softplus));
        string x = input.Name;
        string scaled = Beta == 1f ? x : graph.AddNode("Mul", [x, graph.FloatConstant(Beta)], scope);
        string softplus = graph.AddNode("Softplus", [scaled], scope);
        if (Beta != 1f) softplus = graph.AddNode("Div", [softplus, graph.FloatConstant(Beta)], scope);
        string linear = graph.AddNode("Greater", [scaled, graph.FloatConstant(Threshold)], scope);
        return input.As(graph.AddNode("Where", [linear, x, softplus], scope));
    }
}
