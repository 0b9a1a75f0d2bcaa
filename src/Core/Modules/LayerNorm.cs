using System.Numerics.Tensors;
using MLNetExt.Core.Autograd;
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
        var statistics = Tape.Allocate(tape, [rows, 2], clear: false);
        var y = Tape.Allocate(tape, input.Shape, clear: false);
        NormForward(y.Span, statistics.Span, input.Span, Weight is null ? default : Weight.Span, Bias is null ? default : Bias.Span, rows, _rowLength, Eps);
        if (Tape.ShouldRecord(tape, input, Weight, Bias))
            tape!.Record(new TapeNode(LayerNormBackward.Instance, y, input, Weight, Bias, Saved: statistics));
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

    // Shapes: x [R, D], gamma [D] or empty, beta [D] or empty → y [R, D], statistics [R, 2] = (μ, 1/√(σ² + ε)) per row.
    private static void NormForward(Span<float> y, Span<float> statistics, ReadOnlySpan<float> x,
        ReadOnlySpan<float> gamma, ReadOnlySpan<float> beta, int rows, int dim, float eps)
    {
        for (int r = 0; r < rows; r++)
        {
            var xRow = x.Slice(r * dim, dim);
            var yRow = y.Slice(r * dim, dim);
            // Two passes in double: the mean is removed before squaring, so a large offset cannot cancel the variance.
            double sum = 0;
            for (int i = 0; i < dim; i++) sum += xRow[i];
            double mean = sum / dim;
            double squaredDeviations = 0;
            for (int i = 0; i < dim; i++)
            {
                double deviation = xRow[i] - mean;
                squaredDeviations += deviation * deviation;
            }
            float invStd = (float)(1.0 / Math.Sqrt(squaredDeviations / dim + eps));
            statistics[2 * r] = (float)mean;
            statistics[2 * r + 1] = invStd;
            TensorPrimitives.Subtract(xRow, (float)mean, yRow);
            TensorPrimitives.Multiply(yRow, invStd, yRow);
            if (!gamma.IsEmpty) TensorPrimitives.Multiply(yRow, gamma, yRow);
            if (!beta.IsEmpty) TensorPrimitives.Add(yRow, beta, yRow);
        }
    }

    // Shapes: dY [R, D], x [R, D], statistics [R, 2], gamma [D] or empty
    //   → dX [R, D] +=, dGamma [D] += Σ_r dY⊙x̂, dBeta [D] += Σ_r dY (each skipped when its span is empty).
    private static void NormBackward(Span<float> dX, Span<float> dGamma, Span<float> dBeta, ReadOnlySpan<float> dY,
        ReadOnlySpan<float> x, ReadOnlySpan<float> statistics, ReadOnlySpan<float> gamma, int rows, int dim)
    {
        for (int r = 0; r < rows; r++)
        {
            var xRow = x.Slice(r * dim, dim);
            var dYRow = dY.Slice(r * dim, dim);
            float mean = statistics[2 * r], invStd = statistics[2 * r + 1];
            if (!dBeta.IsEmpty) TensorPrimitives.Add(dBeta, dYRow, dBeta);
            double sumDxHat = 0, sumDxHatXHat = 0;
            for (int i = 0; i < dim; i++)
            {
                float xHat = (xRow[i] - mean) * invStd;
                float dxHat = gamma.IsEmpty ? dYRow[i] : gamma[i] * dYRow[i];
                sumDxHat += dxHat;
                sumDxHatXHat += (double)dxHat * xHat;
                if (!dGamma.IsEmpty) dGamma[i] += dYRow[i] * xHat;
            }
            if (dX.IsEmpty) continue;
            var dXRow = dX.Slice(r * dim, dim);
            float meanDxHat = (float)(sumDxHat / dim), meanDxHatXHat = (float)(sumDxHatXHat / dim);
            for (int i = 0; i < dim; i++)
            {
                float xHat = (xRow[i] - mean) * invStd;
                float dxHat = gamma.IsEmpty ? dYRow[i] : gamma[i] * dYRow[i];
                dXRow[i] += invStd * (dxHat - meanDxHat - xHat * meanDxHatXHat);
            }
        }
    }

    private sealed class LayerNormBackward : IBackward
    {
        public static readonly LayerNormBackward Instance = new();
        public void Backward(Tape tape, in TapeNode node)
        {
            Tensor x = node.A!, statistics = node.Saved!;
            Tensor? gamma = node.B, beta = node.C;
            int rows = statistics.Dim(0), dim = rows == 0 ? 0 : x.Length / rows;
            NormBackward(
                x.RequiresGrad ? Tape.GradOf(x) : default,
                gamma is { RequiresGrad: true } ? Tape.GradOf(gamma) : default,
                beta is { RequiresGrad: true } ? Tape.GradOf(beta) : default,
                node.Output.Grad!.Span, x.Span, statistics.Span, gamma is null ? default : gamma.Span, rows, dim);
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
