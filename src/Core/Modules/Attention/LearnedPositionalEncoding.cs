using MLNetExt.Core.Autograd;
using MLNetExt.Core.Onnx;
using MLNetExt.Core.Ops;

namespace MLNetExt.Core.Modules.Attention;

/// <summary>
/// A learned positional encoding (BERT's position embeddings): y[b, t] = x[b, t] + P[t], with P a table learned like
/// an embedding, equivalent to PyTorch's <c>x + nn.Embedding(max_len, d)(torch.arange(T))</c>.
/// </summary>
/// <remarks>
/// Shapes: input [B, T, d] with T ≤ <see cref="MaxLength"/> → output [B, T, d]; <c>weight</c> P [max_len, d],
/// initialized N(0, 1) as <c>nn.Embedding</c>. Backward: dx = dy; dP[t] += Σ_b dy[b, t] (rows from T on get nothing).
/// </remarks>
public sealed class LearnedPositionalEncoding : Module, IOnnxExportable
{
    /// <summary>Creates the table, drawing it from <paramref name="random"/> (default: <see cref="RandomSource.Default"/>).</summary>
    /// <exception cref="ArgumentOutOfRangeException">A size is below 1.</exception>
    public LearnedPositionalEncoding(int maxLength, int dModel, RandomSource? random = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxLength, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(dModel, 1);
        MaxLength = maxLength;
        DModel = dModel;
        Weight = RegisterParameter("weight", Init.Normal(new Tensor(maxLength, dModel), random: random));
    }

    /// <summary>The longest sequence the table covers.</summary>
    public int MaxLength { get; }

    /// <summary>d, the model width.</summary>
    public int DModel { get; }

    /// <summary>P, [max_len, d].</summary>
    public Tensor Weight { get; }

    /// <inheritdoc />
    /// <exception cref="ArgumentException">The input is not [B, T ≤ max_len, d].</exception>
    public override Tensor Forward(Tensor input, Tape? tape = null)
    {
        ArgumentNullException.ThrowIfNull(input);
        PositionalEncodingShapes.Check(this, input.Shape, MaxLength, DModel);
        return SequenceBroadcastOps.AddPerPosition(input, Weight, tape);
    }

    /// <inheritdoc />
    public override int[] OutputShape(ReadOnlySpan<int> inputShape)
    {
        PositionalEncodingShapes.Check(this, inputShape, MaxLength, DModel);
        return inputShape.ToArray();
    }

    /// <summary>Emits <c>Add</c>(x, <c>Slice</c>(weight, 0, T)), the table an initializer named <c>scope.weight</c>. Shapes: [B, T, d] → [B, T, d].</summary>
    OnnxValue IOnnxExportable.ExportOnnx(OnnxGraphBuilder graph, OnnxValue input, string scope)
        => PositionalEncodingShapes.ExportAdd(graph, input, OnnxExport.Parameter(graph, scope, "weight", Weight), MaxLength, DModel, scope);
}
