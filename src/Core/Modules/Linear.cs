using MLNetExt.Core.Autograd;
using MLNetExt.Core.Ops;
using MLNetExt.Core.Onnx;

namespace MLNetExt.Core.Modules;

/// <summary>
/// A fully connected layer, <c>torch.nn.Linear</c>: y = x·Wᵀ + b.
/// Shapes: input [N, in_features] → output [N, out_features]; <c>weight</c> [out_features, in_features], <c>bias</c> [out_features].
/// </summary>
/// <remarks>
/// Initialized as PyTorch does: weight ~ kaiming_uniform(a = √5), which is U(−1/√in, 1/√in), and bias ~ U(−1/√in, 1/√in).
/// </remarks>
public sealed class Linear : Module, IOnnxExportable
{
    /// <summary>Creates the layer, drawing initial weights from <paramref name="random"/> (default: <see cref="RandomSource.Default"/>).</summary>
    /// <exception cref="ArgumentOutOfRangeException">A feature count is less than 1.</exception>
    public Linear(int inFeatures, int outFeatures, bool bias = true, RandomSource? random = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(inFeatures, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(outFeatures, 1);
        InFeatures = inFeatures;
        OutFeatures = outFeatures;
        random ??= RandomSource.Default;
        Weight = RegisterParameter("weight", Init.KaimingUniform(new Tensor(outFeatures, inFeatures), a: MathF.Sqrt(5f), random: random));
        if (bias)
        {
            float bound = 1f / MathF.Sqrt(inFeatures);
            Bias = RegisterParameter("bias", Init.Uniform(new Tensor(outFeatures), -bound, bound, random));
        }
    }

    /// <summary>The input width.</summary>
    public int InFeatures { get; }

    /// <summary>The output width.</summary>
    public int OutFeatures { get; }

    /// <summary>The weight matrix, [out_features, in_features].</summary>
    public Tensor Weight { get; }

    /// <summary>The bias, [out_features], or null when created without one.</summary>
    public Tensor? Bias { get; }

    /// <inheritdoc />
    public override Tensor Forward(Tensor input, Tape? tape = null) => LinearOp.Forward(input, Weight, Bias, tape);

    /// <inheritdoc />
    public override int[] OutputShape(ReadOnlySpan<int> inputShape)
    {
        RequireRank(inputShape, 2, $"[N, {InFeatures}]");
        if (inputShape[1] != InFeatures)
            throw new ArgumentException($"Linear expects input [N, {InFeatures}] but got [{string.Join(", ", inputShape.ToArray())}].", "input");
        return [inputShape[0], OutFeatures];
    }

    /// <summary>
    /// Emits <c>Gemm</c>(x, weight, bias, transB = 1) for input [N, in_features] → [N, out_features], or, for input
    /// [*, in_features] of rank above 2 (a head applied at every step), <c>MatMul</c>(x, Transpose(weight)) and
    /// <c>Add</c>(bias) → [*, out_features], as PyTorch's exporter does. The weight keeps its PyTorch layout and name.
    /// </summary>
    OnnxValue IOnnxExportable.ExportOnnx(OnnxGraphBuilder graph, OnnxValue input, string scope)
    {
        OnnxExport.RequireFloat(input, nameof(Linear));
        if (input.Rank < 2 || !input.Shape[^1].Equals(OnnxDim.Fixed(InFeatures)))
            throw new ArgumentException($"Linear expects input [*, {InFeatures}] of rank 2 or more but got {input}.", nameof(input));
        OnnxDim[] shape = [.. input.Shape.Take(input.Rank - 1), OutFeatures];
        var weight = OnnxExport.Parameter(graph, scope, "weight", Weight);
        var bias = Bias is null ? null : OnnxExport.Parameter(graph, scope, "bias", Bias);
        if (input.Rank == 2)
            return input.As(graph.AddNode("Gemm", [input.Name, weight.Name, bias?.Name ?? ""], scope, OnnxAttribute.Int("transB", 1)), shape: shape);
        // weightT [in_features, out_features]
        string weightT = graph.AddNode("Transpose", [weight.Name], scope, OnnxAttribute.Ints("perm", 1, 0));
        string product = graph.AddNode("MatMul", [input.Name, weightT], scope);
        return input.As(bias is null ? product : graph.AddNode("Add", [product, bias.Name], scope), shape: shape);
    }
}
