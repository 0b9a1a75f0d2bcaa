using Microsoft.ML;
using Microsoft.ML.Data;
using MLNetExt.Core.Onnx;

namespace MLNetExt.Transforms.Saving;

/// <summary>
/// Builds the chain that a saved MLNetExt transformer becomes: ML.NET's <c>OnnxTransformer</c> over the exported
/// graph, then ML.NET's own transformers that turn its raw outputs into the native transformer's columns, then a
/// drop of the intermediate columns.
/// </summary>
internal sealed class OnnxSavedForm
{
    private readonly MLContext _context = new();
    private readonly List<ITransformer> _transformers = [];
    private readonly List<string> _intermediate = [];
    private IDataView _view;

    /// <summary>Starts from the input columns the graph reads (an empty view of them: fitting needs types, not rows).</summary>
    public OnnxSavedForm(DataViewSchema inputColumns) => _view = new EmptyDataView(inputColumns);

    /// <summary>The context the chain's transformers are built in.</summary>
    public MLContext Context => _context;

    /// <summary>The schema the next transformer will see.</summary>
    public DataViewSchema Schema => _view.Schema;

    /// <summary>
    /// Adds the ONNX graph, reading <paramref name="inputColumns"/> and writing <paramref name="outputColumns"/> (each
    /// named as the graph's input or output); with <paramref name="intermediateOutputs"/>, all of its outputs are
    /// dropped at the end (see <see cref="MarkIntermediate"/> to drop only some).
    /// </summary>
    public void AddOnnx(OnnxGraphBuilder graph, string[] inputColumns, string[] outputColumns, bool intermediateOutputs = false)
    {
        var bytes = graph.ToBytes();
        Add(_context.Transforms.ApplyOnnxModel(outputColumns, inputColumns, new MemoryStream(bytes, writable: false)).Fit(_view));
        if (intermediateOutputs)
            MarkIntermediate(outputColumns);
    }

    /// <summary>Marks columns that later steps read but the saved model must not show; <see cref="Build"/> drops them.</summary>
    public void MarkIntermediate(params string[] columns) => _intermediate.AddRange(columns);

    /// <summary>Adds an ML.NET transformer.</summary>
    public void Add(ITransformer transformer)
    {
        _transformers.Add(transformer);
        _view = transformer.Transform(_view);
    }

    /// <summary>Adds an estimator, fitted on the (empty) view so far.</summary>
    public void Add<T>(IEstimator<T> estimator) where T : class, ITransformer => Add(estimator.Fit(_view));

    /// <summary>The chain, ending with a drop of the intermediate columns.</summary>
    public ITransformer Build()
    {
        if (_intermediate.Count > 0)
            Add(_context.Transforms.DropColumns([.. _intermediate]));
        return new TransformerChain<ITransformer>([.. _transformers]);
    }
}
