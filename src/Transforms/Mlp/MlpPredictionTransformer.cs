using MLNetExt.Transforms.Persistence;
using MLNetExt.Trainers.Mlp;
using MLNetExt.Core;
using MLNetExt.Core.Modules;
using Microsoft.ML;
using Microsoft.ML.Data;
using MLNetExt.Trainers.DeepLearning;
using MLNetExt.Transforms.DeepLearning;

using MLNetExt.Core.Onnx;

namespace MLNetExt.Transforms.Mlp;

/// <summary>
/// A trained multi-layer perceptron that scores a features column, with ML.NET's output columns for its task:
/// binary classification adds Score (Single, the raw logit), Probability (Single, the logistic of the score) and
/// PredictedLabel (Boolean, score above 0); multiclass classification adds Score (a vector of per-class
/// probabilities, the softmax of the logits) and PredictedLabel (the label's key type, with its KeyValues annotation,
/// the class of the highest score); regression adds Score (Single). Saved as kind <c>"MlpPrediction"</c>.
/// </summary>
/// <remarks>
/// Only the features column is read, so a model scores rows without a label. A NaN feature gives NaN scores (and a
/// false or missing-key prediction), as in ML.NET; training rejects such rows.
/// </remarks>
public sealed class MlpPredictionTransformer : DeepPredictionTransformer
{
    internal const string Kind = "MlpPrediction";

    private readonly Sequential _network;
    private readonly SavedOptions _settings;

    internal MlpPredictionTransformer(Sequential network, SavedOptions settings, LabelKeyValues? keyValues, DeepTrainingResult? trainingResult)
        : base(Kind, network, PredictionTask.Of(settings.Task), keyValues, trainingResult)
    {
        _network = network;
        _settings = settings;
    }

    /// <summary>The saved settings: task, columns and architecture.</summary>
    internal sealed class SavedOptions
    {
        public MlpTask Task { get; set; }

        public string FeatureColumnName { get; set; } = "";

        public string LabelColumnName { get; set; } = "";

        public int FeatureCount { get; set; }

        public int OutputCount { get; set; }

        public int[] HiddenLayers { get; set; } = [];

        public MlpActivation Activation { get; set; }

        public float DropoutRate { get; set; }

        public bool UseBatchNorm { get; set; }

        public string? LabelKeyValuesType { get; set; }
    }

    /// <summary>What the model predicts.</summary>
    public MlpTask Task => _settings.Task;

    /// <inheritdoc />
    public override string FeatureColumnName => _settings.FeatureColumnName;

    /// <inheritdoc />
    public override string LabelColumnName => _settings.LabelColumnName;

    /// <summary>The length of the features vector.</summary>
    public int FeatureCount => _settings.FeatureCount;

    /// <summary>The number of classes (multiclass), or 1.</summary>
    public int OutputCount => _settings.OutputCount;

    /// <summary>The hidden layer widths.</summary>
    public IReadOnlyList<int> HiddenLayers => _settings.HiddenLayers;

    // The weights of the network's Linear layers (biases and batch norms come on top), in long arithmetic.
    private static long WeightMatrices(SavedOptions settings)
    {
        long total = 0, previous = settings.FeatureCount;
        foreach (int width in settings.HiddenLayers.Append(settings.OutputCount))
        {
            total += previous * width;
            previous = width;
        }
        return total;
    }

    internal static MlpPredictionTransformer Load(NativeModelReader context)
    {
        var settings = context.GetOptions<SavedOptions>();
        if (!Enum.IsDefined(settings.Task))
            throw context.Invalid($"its task '{settings.Task}' is unknown");
        if (string.IsNullOrEmpty(settings.FeatureColumnName) || string.IsNullOrEmpty(settings.LabelColumnName))
            throw context.Invalid("it needs feature and label column names");
        if (settings.FeatureCount < 1 || !PredictionTask.Of(settings.Task).SuitsOutputCount(settings.OutputCount))
            throw context.Invalid($"its feature count {settings.FeatureCount} or output count {settings.OutputCount} does not suit task {settings.Task}");
        if (settings.FeatureCount > SavedModelLimits.MaximumWidth || settings.OutputCount > SavedModelLimits.MaximumWidth)
            throw context.Invalid($"its feature count {settings.FeatureCount} or output count {settings.OutputCount} is over the limit of {SavedModelLimits.MaximumWidth}");
        if (settings.HiddenLayers is not { Length: > 0 } || settings.HiddenLayers.Length > SavedModelLimits.MaximumLayers
            || settings.HiddenLayers.Any(w => w < 1 || w > SavedModelLimits.MaximumWidth))
            throw context.Invalid($"its hidden layers must be 1 to {SavedModelLimits.MaximumLayers} widths in [1, {SavedModelLimits.MaximumWidth}]");
        if (!Enum.IsDefined(settings.Activation) || !(settings.DropoutRate >= 0 && settings.DropoutRate < 1))
            throw context.Invalid("its architecture (activation, dropout rate) is not valid");
        context.RequireWeights(WeightMatrices(settings), $"its feature count {settings.FeatureCount}, hidden layers [{string.Join(", ", settings.HiddenLayers)}] and output count {settings.OutputCount}");
        var network = MlpNetwork.Build(settings.FeatureCount, settings.HiddenLayers, settings.OutputCount, settings.Activation,
            settings.DropoutRate, settings.UseBatchNorm, new RandomSource(0));
        LoadWeights(context, network);
        return new MlpPredictionTransformer(network, settings, LoadKeyValues(context, settings.LabelKeyValuesType, settings.OutputCount), null);
    }

    private protected override void SaveSettings(NativeModelWriter context) => context.SetOptions(_settings);

    private protected override int OutputWidth => OutputCount;

    // One row of features, Vector<Single, F>, is the graph input [1, F] named as the column.
    private protected override ExportedNetwork ExportNetwork()
    {
        var graph = new OnnxGraphBuilder();
        var features = graph.AddInput(FeatureColumnName, OnnxElementType.Float, [1, FeatureCount]);
        var outputs = OnnxExport.Module(graph, _network, features);
        var inputs = new DataViewSchema.Builder();
        inputs.AddColumn(FeatureColumnName, new VectorDataViewType(NumberDataViewType.Single, FeatureCount));
        return new ExportedNetwork(graph, inputs.ToSchema(), outputs);
    }

    private protected override AddedColumn[] BindOutputs(DataViewSchema schema)
    {
        var features = ColumnChecks.Find(schema, FeatureColumnName);
        if (features.Type is not VectorDataViewType { ItemType: NumberDataViewType, Size: var size } vector
            || vector.ItemType != NumberDataViewType.Single || size != FeatureCount)
            throw ColumnChecks.WrongType(features.Name, $"Vector<Single, {FeatureCount}>", features.Type);
        var scorerOf = ScorerPerRow(row => new MlpRowScorer(this, row, features));
        return PredictionTask.BindOutputs(features, scorerOf, OutputCount, KeyValues);
    }

    // Outputs: the logit (binary), the class probabilities (multiclass) or the value (regression).
    private sealed class MlpRowScorer : RowScorer
    {
        private readonly MlpPredictionTransformer _model;
        private readonly ValueGetter<VBuffer<float>> _features;
        private readonly DataViewSchema.Column _featuresColumn;
        private readonly Tensor _input;
        private VBuffer<float> _buffer;

        public MlpRowScorer(MlpPredictionTransformer model, DataViewRow row, DataViewSchema.Column features)
            : base(model)
        {
            _model = model;
            _featuresColumn = features;
            _features = row.GetGetter<VBuffer<float>>(features);
            _input = new Tensor(1, model.FeatureCount);
            Outputs = new float[model.OutputCount];
        }

        protected override void Compute(DataViewRow row)
        {
            _features(ref _buffer);
            var values = _buffer.GetValues();
            if (values.Length != _model.FeatureCount)
                throw ColumnChecks.BadValue(_featuresColumn.Name, row, $"the vector has {values.Length} values, expected {_model.FeatureCount}");
            values.CopyTo(_input.Span);
            _model.PredictionTask.WriteScores(_model._network.Forward(_input, Tape).Span, Outputs, _model.OutputCount);
        }
    }
}
