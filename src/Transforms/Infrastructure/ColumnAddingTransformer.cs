using Microsoft.ML;
using Microsoft.ML.Data;
using MLNetExt.Transforms.Saving;

namespace MLNetExt.Transforms;

/// <summary>
/// Base of the transformers that append computed columns to their input, row by row: it supplies the ML.NET
/// <see cref="ITransformer"/> plumbing (output schema, the lazy transformed view, a row-to-row mapper for
/// prediction engines) and the save through ML.NET's own savable transformers; a derived transformer binds its
/// output columns to an input schema and says what it is saved as.
/// </summary>
public abstract class ColumnAddingTransformer : ITransformer
{
    private protected ColumnAddingTransformer()
    {
    }

    /// <summary>Always true: every output row depends on its input row alone.</summary>
    public bool IsRowToRowMapper => true;

    /// <summary>The input schema plus the added columns, which hide input columns of the same names.</summary>
    /// <param name="inputSchema">The input's schema.</param>
    /// <exception cref="ArgumentOutOfRangeException">An input column is missing or has the wrong type; the message names it.</exception>
    public DataViewSchema GetOutputSchema(DataViewSchema inputSchema)
    {
        ArgumentNullException.ThrowIfNull(inputSchema);
        return ColumnAddingDataView.OutputSchema(inputSchema, Bind(inputSchema));
    }

    /// <summary>Adds the columns, lazily: values are computed when a cursor's getter asks for them.</summary>
    /// <param name="input">The data.</param>
    /// <exception cref="ArgumentOutOfRangeException">An input column is missing or has the wrong type; the message names it.</exception>
    public IDataView Transform(IDataView input)
    {
        ArgumentNullException.ThrowIfNull(input);
        return new ColumnAddingDataView(input, Bind(input.Schema));
    }

    /// <summary>A mapper from one input row to one output row, as ML.NET's prediction engines use.</summary>
    /// <param name="inputSchema">The schema of the rows it will map.</param>
    /// <exception cref="ArgumentOutOfRangeException">An input column is missing or has the wrong type; the message names it.</exception>
    public IRowToRowMapper GetRowToRowMapper(DataViewSchema inputSchema)
    {
        ArgumentNullException.ThrowIfNull(inputSchema);
        return new ColumnAddingRowMapper(inputSchema, Bind(inputSchema));
    }

    /// <summary>
    /// Saves the transformer as ML.NET's own savable transformers (an <c>OnnxTransformer</c> over an ONNX graph of
    /// this transformer, plus the conversions that restore its output columns), so that the model file loads in an
    /// application that references only Microsoft.ML and Microsoft.ML.OnnxTransformer.
    /// </summary>
    /// <param name="ctx">ML.NET's save context.</param>
    void ICanSaveModel.Save(ModelSaveContext ctx)
    {
        ArgumentNullException.ThrowIfNull(ctx);
        ((ICanSaveModel)CreateSavableForm()).Save(ctx);
    }

    /// <summary>
    /// The ONNX graph (opset 17) this transformer is saved with: its inputs are named as the columns it reads, its
    /// outputs are the raw values ML.NET's transformers turn into this transformer's columns in a saved model, and
    /// its metadata holds what MLNetExt needs to reopen the native transformer. Weights keep their PyTorch names.
    /// </summary>
    /// <returns>The serialized ONNX <c>ModelProto</c>.</returns>
    public byte[] ExportOnnx() => ExportGraph().Graph.ToBytes();

    /// <summary>Checks <paramref name="schema"/> and describes the columns to add, with their getters.</summary>
    private protected abstract AddedColumn[] Bind(DataViewSchema schema);

    /// <summary>ML.NET transformers that produce the same added columns from the same input columns, starting from <see cref="ExportGraph"/>.</summary>
    private protected abstract ITransformer CreateSavableForm();

    /// <summary>The graph of <see cref="ExportOnnx"/>, with the columns it reads and writes.</summary>
    private protected abstract ExportedGraph ExportGraph();
}
