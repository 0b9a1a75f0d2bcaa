using MLNetExt.Core.Autograd;
using MLNetExt.Core.Onnx;
using MLNetExt.Core.Ops;

namespace MLNetExt.Core.Modules;

/// <summary>
/// The decoder layer of a tied-weight autoencoder: y = x·W + b, where W is the weight [out_src, in_src] of a
/// source <see cref="Linear"/> (the encoder layer), used untransposed, so the layer maps back from the source's
/// output width to its input width. Shapes: input [N, out_src] → output [N, in_src]; <c>bias</c> [in_src].
/// </summary>
/// <remarks>
/// <para>The shared weight is not a parameter of this layer: its only parameter is <c>bias</c>, so a
/// <c>state_dict</c> holds the weight once, under the source's name, and an optimizer built over the whole network
/// updates it once. Gradients still reach it: backward accumulates into <c>source.Weight.Grad</c>, beside the
/// source's own contribution. PyTorch has no such module; its equivalent is
/// <c>F.linear(x, encoder.weight.t(), bias)</c>.</para>
/// <para>The bias starts at zero: the decoder has no fan-in of its own to scale a random start by, and a zero bias
/// leaves the initial reconstruction the transposed map of the encoder's code.</para>
/// </remarks>
public sealed class TiedLinear : Module, IOnnxExportable
{
    /// <summary>Creates the decoder tied to <paramref name="source"/>'s weight, with a zero bias unless <paramref name="bias"/> is false.</summary>
    public TiedLinear(Linear source, bool bias = true)
    {
        ArgumentNullException.ThrowIfNull(source);
        Source = source;
        if (bias) Bias = RegisterParameter("bias", new Tensor(source.InFeatures));
    }

    /// <summary>The encoder layer whose weight this layer shares (not a child module: its parameters are not this layer's).</summary>
    public Linear Source { get; }

    /// <summary>The shared weight, <c>Source.Weight</c> [out_src, in_src].</summary>
    public Tensor Weight => Source.Weight;

    /// <summary>The bias, [in_src], or null when created without one.</summary>
    public Tensor? Bias { get; }

    /// <summary>The input width: the source's output width.</summary>
    public int InFeatures => Source.OutFeatures;

    /// <summary>The output width: the source's input width.</summary>
    public int OutFeatures => Source.InFeatures;

    /// <inheritdoc />
    public override Tensor Forward(Tensor input, Tape? tape = null) => TiedLinearOp.Forward(input, Source.Weight, Bias, tape);

    /// <inheritdoc />
    public override int[] OutputShape(ReadOnlySpan<int> inputShape)
    {
        RequireRank(inputShape, 2, $"[N, {InFeatures}]");
        if (inputShape[1] != InFeatures)
            throw new ArgumentException($"TiedLinear expects input [N, {InFeatures}] but got [{string.Join(", ", inputShape.ToArray())}].", "input");
        return [inputShape[0], OutFeatures];
    }

    /// <summary>
    /// Emits <c>MatMul</c>(x, W) and <c>Add</c>(bias) for input [*, out_src] → [*, in_src]. W is the initializer the
    /// graph already holds with the source weight's shape and bits (<see cref="OnnxGraphBuilder.FindInitializer"/>):
    /// the source's own <c>weight</c> when the source was exported first, as in an encoder–decoder stack. Matching by
    /// content rather than by name keeps this layer free of the source's place in the module tree, and any initializer
    /// with the same bits is the same constant. When there is none (the decoder exported alone, or before its source),
    /// the weight is written as <c>scope.weight</c>.
    /// </summary>
    OnnxValue IOnnxExportable.ExportOnnx(OnnxGraphBuilder graph, OnnxValue input, string scope)
    {
        OnnxExport.RequireFloat(input, nameof(TiedLinear));
        if (input.Rank < 2 || !input.Shape[^1].Equals(OnnxDim.Fixed(InFeatures)))
            throw new ArgumentException($"TiedLinear expects input [*, {InFeatures}] of rank 2 or more but got {input}.", nameof(input));
        OnnxDim[] shape = [.. input.Shape.Take(input.Rank - 1), OutFeatures];
        string weight = graph.FindInitializer(Weight) ?? OnnxExport.Parameter(graph, scope, "weight", Weight).Name;
        string product = graph.AddNode("MatMul", [input.Name, weight], scope);
        if (Bias is null) return input.As(product, shape: shape);
        var bias = OnnxExport.Parameter(graph, scope, "bias", Bias);
        return input.As(graph.AddNode("Add", [product, bias.Name], scope), shape: shape);
    }
}
