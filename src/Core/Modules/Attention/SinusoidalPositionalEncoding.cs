using MLNetExt.Core.Autograd;
using MLNetExt.Core.Onnx;
using MLNetExt.Core.Ops;

namespace MLNetExt.Core.Modules.Attention;

/// <summary>
/// The fixed sinusoidal positional encoding of "Attention Is All You Need", added to a batch of embedded sequences:
/// PE(pos, 2i) = sin(pos/10000^(2i/d)), PE(pos, 2i + 1) = cos(pos/10000^(2i/d)); y[b, t] = x[b, t] + PE(t).
/// </summary>
/// <remarks>
/// <para>Shapes: input [B, T, d] with T ≤ <see cref="MaxLength"/> → output [B, T, d]. The table is the buffer
/// <c>pe</c> [max_len, d], as in PyTorch's tutorial module (computed in double, stored in float32; for an odd d the
/// last column is a sine). Nothing is learned; the input's gradient passes through unchanged. Dropout, which the
/// tutorial applies after the sum, is a separate <see cref="Modules.Dropout"/> here.</para>
/// </remarks>
public sealed class SinusoidalPositionalEncoding : Module, IOnnxExportable
{
    /// <summary>Creates the table for positions 0 to <paramref name="maxLength"/> − 1.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A size is below 1.</exception>
    public SinusoidalPositionalEncoding(int dModel, int maxLength = 5000)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(dModel, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxLength, 1);
        DModel = dModel;
        MaxLength = maxLength;
        var table = new Tensor(maxLength, dModel);
        for (int position = 0; position < maxLength; position++)
        {
            for (int column = 0; column < dModel; column++)
            {
                int pairStart = column - column % 2;
                double angle = position / Math.Pow(10000.0, (double)pairStart / dModel);
                table.Data[position * dModel + column] = (float)(column % 2 == 0 ? Math.Sin(angle) : Math.Cos(angle));
            }
        }
        Table = RegisterBuffer("pe", table);
    }

    /// <summary>d, the model width.</summary>
    public int DModel { get; }

    /// <summary>The longest sequence the table covers.</summary>
    public int MaxLength { get; }

    /// <summary>PE, [max_len, d].</summary>
    public Tensor Table { get; }

    /// <inheritdoc />
    /// <exception cref="ArgumentException">The input is not [B, T ≤ max_len, d].</exception>
    public override Tensor Forward(Tensor input, Tape? tape = null)
    {
        ArgumentNullException.ThrowIfNull(input);
        PositionalEncodingShapes.Check(this, input.Shape, MaxLength, DModel);
        return SequenceBroadcastOps.AddPerPosition(input, Table, tape);
    }

    /// <inheritdoc />
    public override int[] OutputShape(ReadOnlySpan<int> inputShape)
    {
        PositionalEncodingShapes.Check(this, inputShape, MaxLength, DModel);
        return inputShape.ToArray();
    }

    /// <summary>Emits <c>Add</c>(x, <c>Slice</c>(pe, 0, T)): the table is an initializer named <c>scope.pe</c>. Shapes: [B, T, d] → [B, T, d].</summary>
    OnnxValue IOnnxExportable.ExportOnnx(OnnxGraphBuilder graph, OnnxValue input, string scope)
        => PositionalEncodingShapes.ExportAdd(graph, input, OnnxExport.Parameter(graph, scope, "pe", Table), MaxLength, DModel, scope);
}
