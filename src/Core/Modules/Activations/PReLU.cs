using MLNetExt.Core.Autograd;
using MLNetExt.Core.Ops;
using MLNetExt.Core.Onnx;

namespace MLNetExt.Core.Modules;

/// <summary>
/// <c>torch.nn.PReLU</c>: y = x for x &gt; 0, else α_c·x with a learned slope per channel (dimension 1), or one shared
/// slope. Shapes: input [N, C, *] → [N, C, *]; parameter <c>weight</c> [num_parameters], initialized to 0.25 (PyTorch's default).
/// </summary>
public sealed class PReLU : Module, IOnnxExportable
{
    /// <summary>Creates the layer with <paramref name="numParameters"/> slopes (1, or the channel count), each <paramref name="init"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="numParameters"/> is less than 1.</exception>
    public PReLU(int numParameters = 1, float init = 0.25f)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(numParameters, 1);
        Weight = RegisterParameter("weight", new Tensor(numParameters));
        Weight.Fill(init);
    }

    /// <summary>The slopes α, [num_parameters].</summary>
    public Tensor Weight { get; }

    /// <inheritdoc />
    public override Tensor Forward(Tensor input, Tape? tape = null) => Activations.Prelu(input, Weight, tape);

    /// <inheritdoc />
    public override int[] OutputShape(ReadOnlySpan<int> inputShape)
    {
        if (Weight.Length > 1 && (inputShape.Length < 2 || inputShape[1] != Weight.Length))
            throw new ArgumentException($"PReLU with {Weight.Length} parameters expects input [N, {Weight.Length}, *] but got [{string.Join(", ", inputShape.ToArray())}].", "input");
        return inputShape.ToArray();
    }

    /// <summary>
    /// Emits <c>PRelu</c>. The slope initializer keeps its PyTorch shape [num_parameters] and name; with one slope per
    /// channel it is unsqueezed to [C, 1, …], since ONNX broadcasts the slope against the input's trailing axes and
    /// the channels are axis 1. Shapes: [N, C, *] → [N, C, *] ([*] → [*] with one slope).
    /// </summary>
    OnnxValue IOnnxExportable.ExportOnnx(OnnxGraphBuilder graph, OnnxValue input, string scope)
    {
        OnnxExport.RequireFloat(input, nameof(PReLU));
        int channels = Weight.Length;
        if (channels > 1 && (input.Rank < 2 || !input.Shape[1].Equals(OnnxDim.Fixed(channels))))
            throw new ArgumentException($"PReLU with {channels} parameters expects input [N, {channels}, *] but got {input}.", nameof(input));
        string slope = OnnxExport.Parameter(graph, scope, "weight", Weight).Name;
        if (channels > 1 && input.Rank > 2)
        {
            long[] trailingAxes = Enumerable.Range(1, input.Rank - 2).Select(axis => (long)axis).ToArray();
            slope = graph.AddNode("Unsqueeze", [slope, graph.Int64Constant(trailingAxes)], scope);
        }
        return input.As(graph.AddNode("PRelu", [input.Name, slope], scope));
    }
}
