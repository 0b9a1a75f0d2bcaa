using MLNetExt.Core.Autograd;
using MLNetExt.Core.Kernels;
using MLNetExt.Core.Onnx;

namespace MLNetExt.Core.Modules;

/// <summary>
/// Layer normalization over the trailing dimensions, <c>torch.nn.LayerNorm</c>.
/// Shapes: input [*, normalized_shape] → output of the same shape; <c>weight</c>, <c>bias</c> [normalized_shape].
/// </summary>
/// <remarks>
/// <para>Each row x of D = product(normalized_shape) values is normalized on its own:
/// μ = Σx/D, σ² = Σ(x − μ)²/D (biased), x̂ = (x − μ)/√(σ² + ε), y = γ⊙x̂ + β (γ = 1, β = 0 initially,
/// learned element-wise when <see cref="ElementwiseAffine"/>). The same computation in training and evaluation.</para>
/// <para>Backward per row: ∂x̂ = γ⊙∂y; ∂x = (∂x̂ − mean(∂x̂) − x̂·mean(∂x̂⊙x̂))/√(σ² + ε);
/// ∂γ = Σ_rows ∂y⊙x̂; ∂β = Σ_rows ∂y.</para>
/// </remarks>
public sealed class LayerNorm : Module, IOnnxExportable
{
    private readonly int[] _normalizedShape;
    private readonly int _rowLength;

    /// <summary>Normalizes over the last dimension, of size <paramref name="normalizedSize"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The size is less than 1 or ε is not positive.</exception>
    public LayerNorm(int normalizedSize, float eps = 1e-5f, bool elementwiseAffine = true)
        : this([normalizedSize], eps, elementwiseAffine)
    {
    }

    /// <summary>Normalizes over the trailing dimensions given by <paramref name="normalizedShape"/>.</summary>
    /// <param name="normalizedShape">The trailing dimensions (at least one, each at least 1) each row spans.</param>
    /// <param name="eps">ε added to the variance, positive.</param>
    /// <param name="elementwiseAffine">Whether γ (<c>weight</c>) and β (<c>bias</c>) are learned.</param>
    /// <exception cref="ArgumentException">The shape is empty.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A dimension is less than 1 or ε is not positive.</exception>
    public LayerNorm(int[] normalizedShape, float eps = 1e-5f, bool elementwiseAffine = true)
    {
        ArgumentNullException.ThrowIfNull(normalizedShape);
        if (normalizedShape.Length == 0)
            throw new ArgumentException("The normalized shape needs at least one dimension.", nameof(normalizedShape));
        foreach (int d in normalizedShape)
            if (d < 1) throw new ArgumentOutOfRangeException(nameof(normalizedShape), d, $"Every normalized dimension must be at least 1 but the shape is [{string.Join(", ", normalizedShape)}].");
        if (!(eps > 0f)) throw new ArgumentOutOfRangeException(nameof(eps), eps, "Epsilon must be positive.");
        _normalizedShape = normalizedShape.ToArray();
        _rowLength = Tensor.CheckedLength(normalizedShape);
        Eps = eps;
        if (elementwiseAffine)
        {
            Weight = RegisterParameter("weight", new Tensor(normalizedShape));
            Weight.Fill(1f);
            Bias = RegisterParameter("bias", new Tensor(normalizedShape));
        }
    }

    /// <summary>The trailing dimensions each row spans.</summary>
    public ReadOnlySpan<int> NormalizedShape => _normalizedShape;

    /// <summary>ε, added to the variance before the square root.</summary>
    public float Eps { get; }

    /// <summary>Whether γ and β are learned.</summary>
    public bool ElementwiseAffine => Weight is not null;

    /// <summary>γ, [normalized_shape], or null without the affine part.</summary>
    public Tensor? Weight { get; }

    /// <summary>β, [normalized_shape], or null without the affine part.</summary>
    public Tensor? Bias { get; }

    /// <inheritdoc />
    /// <exception cref="ArgumentException">The input's trailing dimensions are not the normalized shape.</exception>
    public override Tensor Forward(Tensor input, Tape? tape = null)
    {
        ArgumentNullException.ThrowIfNull(input);
        CheckInputShape(input.Shape);
        int rows = input.Length / _rowLength;
        bool record = Tape.ShouldRecord(tape, input, Weight, Bias);
        // statistics [R, 2], then (when recording) the backward's partial sums of dγ and dβ.
        var saved = Tape.Allocate(tape, [2 * rows + (record ? LayerNormKernel.WorkspaceLength(rows, _rowLength) : 0)], clear: false);
        var y = Tape.Allocate(tape, input.Shape, clear: false);
        LayerNormKernel.Forward(input.Span, y.Span, saved.Span[..(2 * rows)], Weight is null ? default : Weight.Span, Bias is null ? default : Bias.Span, rows, _rowLength, Eps);
        if (record)
            tape!.Record(new TapeNode(LayerNormBackward.Instance, y, input, Weight, Bias, IntArg: _rowLength, Saved: saved));
        return y;
    }

    /// <inheritdoc />
    public override int[] OutputShape(ReadOnlySpan<int> inputShape)
    {
        CheckInputShape(inputShape);
        return inputShape.ToArray();
    }

    private void CheckInputShape(ReadOnlySpan<int> shape)
    {
        if (shape.Length < _normalizedShape.Length || !shape[^_normalizedShape.Length..].SequenceEqual(_normalizedShape))
            throw new ArgumentException(
                $"LayerNorm expects input [*, {string.Join(", ", _normalizedShape)}] but got [{string.Join(", ", shape.ToArray())}].", "input");
    }

    private sealed class LayerNormBackward : IBackward
    {
        public static readonly LayerNormBackward Instance = new();
        // Shapes: dY [R, D], x [R, D], saved [R·2 + workspace], γ [D] or null
        //   → dX [R, D] +=, dγ [D] += Σ_r dY⊙x̂, dβ [D] += Σ_r dY (each skipped when it needs no gradient).
        public void Backward(Tape tape, in TapeNode node)
        {
            Tensor x = node.A!, saved = node.Saved!;
            Tensor? gamma = node.B, beta = node.C;
            int dim = node.IntArg, rows = x.Length / dim;
            LayerNormKernel.Backward(x.Span, node.Output.Grad!.Span, saved.Span[..(2 * rows)], gamma is null ? default : gamma.Span,
                x.RequiresGrad ? Tape.GradOf(x) : default,
                gamma is { RequiresGrad: true } ? Tape.GradOf(gamma) : default,
                beta is { RequiresGrad: true } ? Tape.GradOf(beta) : default,
                saved.Span[(2 * rows)..], rows, dim);
        }
    }

    /// <summary>
    /// Emits <c>LayerNormalization</c> over the last rank(normalized_shape) axes with ε, γ and β (γ = ones, no β
    /// when not affine). Shapes: [*, normalized_shape] → the same.
    /// </summary>
    OnnxValue IOnnxExportable.ExportOnnx(OnnxGraphBuilder graph, OnnxValue input, string scope)
    {
        OnnxExport.RequireFloat(input, nameof(LayerNorm));
        int axes = _normalizedShape.Length;
        if (input.Rank < axes || !input.Shape.Skip(input.Rank - axes).SequenceEqual(_normalizedShape.Select(d => OnnxDim.Fixed(d))))
            throw new ArgumentException($"LayerNorm expects input [*, {string.Join(", ", _normalizedShape)}] but got {input}.", nameof(input));
        string scale;
        if (Weight is null)
        {
            var ones = new Tensor(_normalizedShape);
            ones.Fill(1f);
            scale = graph.AddInitializer(OnnxExport.Join(scope, "onnx_scale"), ones).Name;
        }
        else
        {
            scale = OnnxExport.Parameter(graph, scope, "weight", Weight).Name;
        }
        string bias = Bias is null ? "" : OnnxExport.Parameter(graph, scope, "bias", Bias).Name;
        return input.As(graph.AddNode("LayerNormalization", [input.Name, scale, bias], scope,
            OnnxAttribute.Int("axis", -axes), OnnxAttribute.Float("epsilon", Eps)));
    }
}
