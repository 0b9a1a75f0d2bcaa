using TensorPrimitives = System.Numerics.Tensors.TensorPrimitives;
using System.Runtime.CompilerServices;
using MLNetExt.Core;
using MLNetExt.Core.Modules;
using MLNetExt.Data;
using MLNetExt.Trainers.DeepLearning;
using MLNetExt.Transforms;

namespace MLNetExt.Trainers.Mlp;

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
public sealed class MlpPredictionTransformer : ITransformer, ICanSaveModel
{
    internal const string Kind = "MlpPrediction";
    private const string KeyValuesName = "LabelKeyValues";

    private readonly Sequential _network;
    private readonly SavedOptions _settings;
    private readonly LabelKeyValues? _keyValues;

    internal MlpPredictionTransformer(Sequential network, SavedOptions settings, LabelKeyValues? keyValues, DeepTrainingResult? trainingResult)
    {
        _network = network;
        _settings = settings;
        _keyValues = keyValues;
        TrainingResult = trainingResult;
        _network.Eval();
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

    /// <summary>The features column the model reads.</summary>
    public string FeatureColumnName => _settings.FeatureColumnName;

    /// <summary>The label column the model was trained on (not read when scoring).</summary>
    public string LabelColumnName => _settings.LabelColumnName;

    /// <summary>The length of the features vector.</summary>
    public int FeatureCount => _settings.FeatureCount;

    /// <summary>The number of classes (multiclass), or 1.</summary>
    public int OutputCount => _settings.OutputCount;

    /// <summary>The hidden layer widths.</summary>
    public IReadOnlyList<int> HiddenLayers => _settings.HiddenLayers;

    /// <summary>What training did (epochs, best epoch, why it stopped); null for a loaded model.</summary>
    public DeepTrainingResult? TrainingResult { get; }

    /// <summary>Always true: each row is scored on its own.</summary>
    public bool IsRowToRowMapper => true;

    /// <summary>The input schema plus the task's output columns.</summary>
    /// <param name="inputSchema">The input's schema; it needs the features column.</param>
    public DataViewSchema GetOutputSchema(DataViewSchema inputSchema)
    {
        ArgumentNullException.ThrowIfNull(inputSchema);
        return ColumnAddingDataView.OutputSchema(inputSchema, Bind(inputSchema));
    }

    /// <summary>Adds the output columns, computed lazily row by row.</summary>
    /// <param name="input">The data; it needs the features column.</param>
    public IDataView Transform(IDataView input)
    {
        ArgumentNullException.ThrowIfNull(input);
        return new ColumnAddingDataView(input, Bind(input.Schema));
    }

    /// <summary>Saves the settings, the weights (by PyTorch state_dict name) and the label's key values.</summary>
    /// <param name="context">The context to write into.</param>
    public void Save(ModelSaveContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        context.SetKind(Kind);
        context.SetOptions(_settings);
        foreach (var (name, tensor) in _network.StateDict())
            context.AddTensor(name, tensor);
        _keyValues?.Save(context, KeyValuesName);
    }

    internal static MlpPredictionTransformer Load(ModelLoadContext context)
    {
        var settings = context.GetOptions<SavedOptions>();
        if (!Enum.IsDefined(settings.Task))
            throw context.Invalid($"its task '{settings.Task}' is unknown");
        if (string.IsNullOrEmpty(settings.FeatureColumnName) || string.IsNullOrEmpty(settings.LabelColumnName))
            throw context.Invalid("it needs feature and label column names");
        int expectedOutputs = settings.Task == MlpTask.MulticlassClassification ? settings.OutputCount : 1;
        if (settings.FeatureCount < 1 || settings.OutputCount < 1 || settings.OutputCount != expectedOutputs
            || (settings.Task == MlpTask.MulticlassClassification && settings.OutputCount < 2))
            throw context.Invalid($"its feature count {settings.FeatureCount} or output count {settings.OutputCount} does not suit task {settings.Task}");
        if (settings.HiddenLayers is not { Length: > 0 } || settings.HiddenLayers.Any(w => w < 1) || !Enum.IsDefined(settings.Activation)
            || !(settings.DropoutRate >= 0 && settings.DropoutRate < 1))
            throw context.Invalid("its architecture (hidden layers, activation, dropout rate) is not valid");
        var network = MlpNetwork.Build(settings.FeatureCount, settings.HiddenLayers, settings.OutputCount, settings.Activation,
            settings.DropoutRate, settings.UseBatchNorm, new RandomSource(0));
        foreach (var (name, tensor) in network.StateDict())
            context.GetTensor(name, tensor.Shape).Span.CopyTo(tensor.Span);
        LabelKeyValues? keyValues = null;
        if (settings.LabelKeyValuesType is { } itemType)
        {
            keyValues = LabelKeyValues.Load(context, KeyValuesName, itemType);
            if (keyValues.Count != settings.OutputCount)
                throw context.Invalid($"it has {keyValues.Count} label key values for {settings.OutputCount} classes");
        }
        return new MlpPredictionTransformer(network, settings, keyValues, null);
    }

    private AddedColumn[] Bind(DataViewSchema schema)
    {
        var features = ColumnChecks.Find(schema, FeatureColumnName);
        if (features.Type is not VectorDataViewType { ItemType: NumberDataViewType, Size: var size } vector
            || vector.ItemType != NumberDataViewType.Single || size != FeatureCount)
            throw ColumnChecks.WrongType(features.Name, $"Vector<Single, {FeatureCount}>", features.Type);
        var scorers = new ConditionalWeakTable<DataViewRow, RowScorer>();
        RowScorer ScorerOf(DataViewRow row) => scorers.GetValue(row, r => new RowScorer(this, r, features));
        switch (Task)
        {
            case MlpTask.BinaryClassification:
                return
                [
                    Scalar("Score", NumberDataViewType.Single, features, ScorerOf, (RowScorer s, ref float v) => v = s.Outputs[0]),
                    Scalar("Probability", NumberDataViewType.Single, features, ScorerOf, (RowScorer s, ref float v) => v = Sigmoid(s.Outputs[0])),
                    Scalar("PredictedLabel", BooleanDataViewType.Instance, features, ScorerOf, (RowScorer s, ref bool v) => v = s.Outputs[0] > 0),
                ];
            case MlpTask.MulticlassClassification:
                var scoreType = new VectorDataViewType(NumberDataViewType.Single, OutputCount);
                var keyType = new KeyDataViewType(typeof(uint), OutputCount);
                return
                [
                    new AddedColumn(new DataViewSchema.DetachedColumn("Score", scoreType), [features], ColumnGetterFactory.Of<VBuffer<float>>(row =>
                    {
                        var scorer = ScorerOf(row);
                        return (ref VBuffer<float> value) =>
                        {
                            var outputs = scorer.Probabilities(row);
                            outputs.CopyTo(VBuffer<float>.PrepareDense(ref value, outputs.Length));
                        };
                    })),
                    new AddedColumn(new DataViewSchema.DetachedColumn("PredictedLabel", keyType, _keyValues?.ToAnnotations()), [features],
                        ColumnGetterFactory.Of<uint>(row =>
                        {
                            var scorer = ScorerOf(row);
                            return (ref uint value) =>
                            {
                                var outputs = scorer.Probabilities(row);
                                value = float.IsNaN(outputs[0]) ? 0u : (uint)TensorPrimitives.IndexOfMax(outputs) + 1;
                            };
                        })),
                ];
            default:
                return [Scalar("Score", NumberDataViewType.Single, features, ScorerOf, (RowScorer s, ref float v) => v = s.Outputs[0])];
        }
    }

    private delegate void ReadOutput<T>(RowScorer scorer, ref T value);

    private static AddedColumn Scalar<T>(string name, DataViewType type, DataViewSchema.Column features,
        Func<DataViewRow, RowScorer> scorerOf, ReadOutput<T> read) =>
        new(new DataViewSchema.DetachedColumn(name, type), [features], ColumnGetterFactory.Of<T>(row =>
        {
            var scorer = scorerOf(row);
            return (ref T value) =>
            {
                scorer.Score(row);
                read(scorer, ref value);
            };
        }));

    private static float Sigmoid(float x) => 1f / (1f + MathF.Exp(-x));

    /// <summary>
    /// Runs the network once per row for all the output columns of one cursor: the outputs are kept until the row's
    /// position changes.
    /// </summary>
    private sealed class RowScorer
    {
        private readonly MlpPredictionTransformer _model;
        private readonly ValueGetter<VBuffer<float>> _features;
        private readonly DataViewSchema.Column _featuresColumn;
        private readonly Tensor _input;
        private readonly float[] _outputs;
        private VBuffer<float> _buffer;
        private long _position = -1;

        public RowScorer(MlpPredictionTransformer model, DataViewRow row, DataViewSchema.Column features)
        {
            _model = model;
            _featuresColumn = features;
            _features = row.GetGetter<VBuffer<float>>(features);
            _input = new Tensor(1, model.FeatureCount);
            _outputs = new float[model.OutputCount];
        }

        public float[] Outputs => _outputs;

        /// <summary>Computes the raw outputs (logits or value) of the row the cursor is on, once per row.</summary>
        public void Score(DataViewRow row)
        {
            if (row.Position == _position)
                return;
            _features(ref _buffer);
            var values = _buffer.GetValues();
            if (values.Length != _model.FeatureCount)
                throw ColumnChecks.BadValue(_featuresColumn.Name, row, $"the vector has {values.Length} values, expected {_model.FeatureCount}");
            values.CopyTo(_input.Span);
            var logits = _model._network.Forward(_input).Span;
            if (_model.Task == MlpTask.MulticlassClassification)
                TensorPrimitives.SoftMax(logits, _outputs);
            else
                logits.CopyTo(_outputs);
            _position = row.Position;
        }

        /// <summary>The class probabilities of the current row.</summary>
        public ReadOnlySpan<float> Probabilities(DataViewRow row)
        {
            Score(row);
            return _outputs;
        }
    }
}
