using MLNetExt.Transforms.Persistence;
using MLNetExt.Trainers.DeepLearning;
using MLNetExt.Core.Autograd;
using MLNetExt.Core.Modules;
using Microsoft.ML;
using Microsoft.ML.Data;

using MLNetExt.Core.Onnx;
using MLNetExt.Transforms.Saving;

namespace MLNetExt.Transforms.DeepLearning;

/// <summary>
/// What every trained deep model's transformer shares, as ML.NET's prediction transformers do: it reads one features
/// column and adds its task's output columns (Score, and Probability and PredictedLabel where the task has them)
/// lazily, row by row (<see cref="ColumnAddingTransformer"/>), running the network once per row for all of them; and
/// it saves its settings, its weights by PyTorch state_dict name and its label's key values.
/// </summary>
/// <remarks>
/// One model may score from several threads at once (a prediction engine per thread, as ML.NET recommends): the
/// network runs are serialized per model, since its layers reuse scratch buffers between calls.
/// </remarks>
public abstract class DeepPredictionTransformer : ColumnAddingTransformer
{
    private protected const string KeyValuesName = "LabelKeyValues";

    private readonly string _kind;
    private readonly Module _network;

    private protected DeepPredictionTransformer(string kind, Module network, PredictionTask task, LabelKeyValues? keyValues, DeepTrainingResult? trainingResult)
    {
        _kind = kind;
        PredictionTask = task;
        _network = network;
        KeyValues = keyValues;
        TrainingResult = trainingResult;
        _network.Eval();
    }

    /// <summary>The features column the model reads.</summary>
    public abstract string FeatureColumnName { get; }

    /// <summary>The label column the model was trained on (not read when scoring).</summary>
    public abstract string LabelColumnName { get; }

    /// <summary>What training did (epochs, best epoch, why it stopped); null for a loaded model.</summary>
    public DeepTrainingResult? TrainingResult { get; }

    private protected LabelKeyValues? KeyValues { get; }

    /// <summary>What the model predicts: its output columns and the scorer of its saved form.</summary>
    private protected PredictionTask PredictionTask { get; }

    /// <summary>
    /// The saved form: ML.NET's OnnxTransformer over the exported network (its raw outputs in an intermediate
    /// column), then ML.NET's own scorer for the task (see <see cref="MLNetScorers"/>), which writes the same output
    /// columns as this transformer; the native state rides in the graph's metadata.
    /// </summary>
    private protected override ITransformer CreateSavableForm()
    {
        var exported = ExportGraph();
        var form = new OnnxSavedForm(exported.Inputs);
        form.AddOnnx(exported.Graph, [.. exported.Inputs.Select(c => c.Name)], exported.OutputColumns);
        form.MarkIntermediate([.. exported.OutputColumns.Where(c => c is RawOutputsColumn or PredictedValuesColumn)]);
        AddScorer(form);
        return form.Build();
    }

    /// <summary>
    /// Adds what turns the graph's outputs into this transformer's columns: ML.NET's scorer over
    /// <see cref="RawOutputsColumn"/> (binary, multiclass, regression), <c>MapValueToKey</c> over
    /// <see cref="PredictedValuesColumn"/> (tagging), or a copy of the raw outputs as Score (forecast vectors).
    /// </summary>
    private void AddScorer(OnnxSavedForm form)
    {
        switch (PredictionTask.ScorerKind)
        {
            case PredictionScorerKind.Binary:
                form.Add(MLNetScorers.BinaryUncalibrated(form.Context, form.Schema, RawOutputsColumn));
                form.Add(form.Context.BinaryClassification.Calibrators.Platt(slope: -1, offset: 0));
                break;
            case PredictionScorerKind.Multiclass:
                form.Add(MLNetScorers.Multiclass(form.Context, WithLabel(form.Schema, OutputWidth), RawOutputsColumn, LabelColumnName, OutputWidth));
                break;
            case PredictionScorerKind.Regression:
                form.Add(MLNetScorers.Regression(form.Context, form.Schema, RawOutputsColumn));
                break;
            case PredictionScorerKind.Tagging:
                form.Add(form.Context.Transforms.Conversion.MapValueToKey("PredictedLabel", PredictedValuesColumn, keyData: TaggingKeyValues.ToKeyData("Value")));
                break;
            default:
                form.Add(form.Context.Transforms.CopyColumns("Score", RawOutputsColumn));
                break;
        }
    }

    /// <summary>
    /// The exported network with its outputs (see <see cref="AddScorer"/>) and the native state in the metadata,
    /// written last so that it can refer to the weights the graph already holds.
    /// </summary>
    private protected override ExportedGraph ExportGraph()
    {
        var network = ExportNetwork();
        string[] outputs = PredictionTask.ScorerKind == PredictionScorerKind.Tagging ? AddTaggingOutputs(network) : AddRawOutputs(network);
        var writer = new NativeModelWriter();
        WriteNativeState(writer);
        NativeStateInOnnx.Write(network.Graph, writer.ToState());
        return new ExportedGraph(network.Graph, network.Inputs, outputs);
    }

    // The raw outputs flattened to one row's OutputWidth values, as RawOutputsColumn.
    private string[] AddRawOutputs(ExportedNetwork network)
    {
        var graph = network.Graph;
        var flat = network.Outputs.As(graph.AddNode("Reshape", [network.Outputs.Name, graph.Int64Constant(OutputWidth)], "/head"), shape: [OutputWidth]);
        graph.AddOutput(flat, RawOutputsColumn);
        return [RawOutputsColumn];
    }

    // Tagging: logits [1, T', C] → Score, the per-token softmax of the row's first T tokens flattened to [1, T·C], and
    // the predicted label value of each of them [1, T] (ArgMax, then a Gather on the label's key values), which ML.NET's
    // MapValueToKey turns into PredictedLabel. Both are variable-length outputs, declared [1, symbol]; they are cut to
    // T last, so that no operator runs on an empty tensor when a row has no token.
    private string[] AddTaggingOutputs(ExportedNetwork network)
    {
        var graph = network.Graph;
        const string Scope = "/tags";
        string tokens = network.TokenCount ?? throw new InvalidOperationException("A tagger's exported network must give its token count.");
        string probabilities = graph.AddNode("Softmax", [network.Outputs.Name], Scope, OnnxAttribute.Int("axis", -1));  // [1, T', C]
        string kept = graph.AddNode("Slice", [probabilities, graph.Int64Constant(0), tokens, graph.Int64Constant(1)], Scope);  // [1, T, C]
        string flat = graph.AddNode("Reshape", [kept, graph.Int64Constant(1, -1)], Scope);
        graph.AddOutput(new OnnxValue(flat, OnnxElementType.Float, [1, "TC"]), "Score");
        string classes = graph.AddNode("ArgMax", [probabilities], Scope, OnnxAttribute.Int("axis", -1), OnnxAttribute.Int("keepdims", 0));  // [1, T']
        var labelValues = TaggingKeyValues.AddToGraph(graph, "label_key_values");
        string allValues = graph.AddNode("Gather", [labelValues.Name, classes], Scope, OnnxAttribute.Int("axis", 0));
        string values = graph.AddNode("Slice", [allValues, graph.Int64Constant(0), tokens, graph.Int64Constant(1)], Scope);  // [1, T]
        graph.AddOutput(new OnnxValue(values, labelValues.ElementType, [1, "T"]), PredictedValuesColumn);
        return ["Score", PredictedValuesColumn];
    }

    private LabelKeyValues TaggingKeyValues =>
        KeyValues ?? throw new NotSupportedException("A tagger whose label column had no key values cannot be saved.");

    /// <summary>The intermediate column of a saved tagger that holds each token's predicted label value.</summary>
    private protected const string PredictedValuesColumn = "MLNetExt.PredictedValues";

    /// <summary>How many raw outputs one row has: 1 (binary, one-value regression), the classes, the horizon, or T·C for tagging.</summary>
    private protected abstract int OutputWidth { get; }

    /// <summary>
    /// The task's output columns for <paramref name="schema"/>, carrying the annotations ML.NET's own scorer gives
    /// them (ScoreColumnKind, ScoreValueKind, ScoreColumnSetId, SlotNames, KeyValues), so that the native columns
    /// look to ML.NET's tools exactly as the saved model's do.
    /// </summary>
    private protected sealed override AddedColumn[] Bind(DataViewSchema schema) =>
        [.. BindOutputs(schema).Select(added => ScorerSchema?.GetColumnOrNull(added.Column.Name) is { } scorer
            ? added with { Column = new DataViewSchema.DetachedColumn(added.Column.Name, added.Column.Type, scorer.Annotations) }
            : added)];

    /// <summary>Checks <paramref name="schema"/> and describes the task's output columns, with their getters.</summary>
    private protected abstract AddedColumn[] BindOutputs(DataViewSchema schema);

    // The output schema of ML.NET's scorer for this task over a raw-outputs column (built once, without ONNX); null
    // for the tasks a saved model ends with plain conversions (forecast vectors, tagging).
    private DataViewSchema? ScorerSchema => _scorerSchema ??= BuildScorerSchema();

    private DataViewSchema? _scorerSchema;

    private DataViewSchema? BuildScorerSchema()
    {
        if (PredictionTask.ScorerKind is not (PredictionScorerKind.Binary or PredictionScorerKind.Multiclass or PredictionScorerKind.Regression))
            return null;
        var raw = new DataViewSchema.Builder();
        raw.AddColumn(RawOutputsColumn, new VectorDataViewType(NumberDataViewType.Single, OutputWidth));
        var form = new OnnxSavedForm(raw.ToSchema());
        AddScorer(form);
        return form.Schema;
    }

    /// <summary>The intermediate column that holds the exported network's raw outputs in a saved model.</summary>
    private protected const string RawOutputsColumn = "MLNetExt.RawOutputs";

    /// <summary>The network as a single-row ONNX graph: its inputs (named and typed as the columns it reads) and its raw outputs.</summary>
    private protected abstract ExportedNetwork ExportNetwork();

    /// <summary><paramref name="schema"/> plus the label column as a key of <paramref name="classes"/> with its key values, which ML.NET's multiclass scorer reads its class names from.</summary>
    private DataViewSchema WithLabel(DataViewSchema schema, int classes)
    {
        var builder = new DataViewSchema.Builder();
        builder.AddColumns(schema);
        builder.AddColumn(LabelColumnName, new KeyDataViewType(typeof(uint), classes), KeyValues?.ToAnnotations());
        return builder.ToSchema();
    }

    /// <summary>Saves the settings, the weights (by PyTorch state_dict name) and the label's key values.</summary>
    /// <param name="context">The context to write into.</param>
    internal void WriteNativeState(NativeModelWriter context)
    {
        ArgumentNullException.ThrowIfNull(context);
        context.SetKind(_kind);
        SaveSettings(context);
        foreach (var (name, tensor) in _network.StateDict())
            context.AddTensor(name, tensor);
        KeyValues?.Save(context, KeyValuesName);
    }

    /// <summary>Stores the model's settings (task, columns, architecture) with <see cref="NativeModelWriter.SetOptions{TOptions}"/>.</summary>
    private protected abstract void SaveSettings(NativeModelWriter context);

    /// <summary>Copies the saved weights into a freshly built network, by state_dict name and shape.</summary>
    internal static void LoadWeights(NativeModelReader context, Module network)
    {
        foreach (var (name, tensor) in network.StateDict())
            context.GetTensor(name, tensor.Shape).Span.CopyTo(tensor.Span);
    }

    /// <summary>The saved key values of the label (null when it had none), which must name every one of <paramref name="classes"/>.</summary>
    private protected static LabelKeyValues? LoadKeyValues(NativeModelReader context, string? itemType, int classes)
    {
        if (itemType is null) return null;
        // The count is checked before a value is read: a list of millions of values in a small file costs nothing.
        return LabelKeyValues.Load(context, KeyValuesName, itemType, classes);
    }

    /// <summary>One scorer per cursor row object, shared by all the output columns of that cursor.</summary>
    private protected static Func<DataViewRow, RowScorer> ScorerPerRow(Func<DataViewRow, RowScorer> create) => NetworkRowScorer.PerRow(create);

    /// <summary>A <see cref="NetworkRowScorer"/> over this model's network.</summary>
    internal abstract class RowScorer(DeepPredictionTransformer model) : NetworkRowScorer(model._network)
    {
    }
}
