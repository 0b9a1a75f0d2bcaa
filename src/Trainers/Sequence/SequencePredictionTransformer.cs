using TensorPrimitives = System.Numerics.Tensors.TensorPrimitives;
using System.Runtime.CompilerServices;
using MLNetExt.Core;
using MLNetExt.Data;
using MLNetExt.Trainers.DeepLearning;
using MLNetExt.Transforms;

namespace MLNetExt.Trainers.Sequence;

/// <summary>
/// A trained LSTM or GRU sequence model that scores a features column (keys or steps of floats), with ML.NET's output
/// columns for its task: binary classification adds Score (the logit), Probability and PredictedLabel (Boolean);
/// multiclass classification adds Score (class probabilities) and PredictedLabel (the label's key type with its
/// KeyValues); forecasting adds Score (Single for a horizon of 1, otherwise Vector&lt;Single, Horizon&gt;); tagging adds
/// Score (a variable vector of ℓ·C per-token class probabilities, token after token) and PredictedLabel (a variable
/// vector of ℓ keys of the tag type). Saved as kind <c>"SequencePrediction"</c>.
/// </summary>
/// <remarks>
/// Each row runs on its own, over its own length. A key row with no known token is read as one padding step; a
/// float row with a NaN gives NaN scores. Float inputs (and forecast targets) are standardized with the statistics
/// of the training data, saved with the model.
/// </remarks>
public sealed class SequencePredictionTransformer : ITransformer, ICanSaveModel
{
    internal const string Kind = "SequencePrediction";
    private const string KeyValuesName = "LabelKeyValues";

    private readonly SequenceNetwork _network;
    private readonly SavedOptions _settings;
    private readonly LabelKeyValues? _keyValues;

    internal SequencePredictionTransformer(SequenceNetwork network, SavedOptions settings, LabelKeyValues? keyValues, DeepTrainingResult? trainingResult)
    {
        _network = network;
        _settings = settings;
        _keyValues = keyValues;
        TrainingResult = trainingResult;
        _network.Eval();
    }

    /// <summary>The saved settings: columns, architecture and standardization.</summary>
    internal sealed class SavedOptions
    {
        public string FeatureColumnName { get; set; } = "";

        public string LabelColumnName { get; set; } = "";

        public SequenceArchitecture Architecture { get; set; } = new();

        /// <summary>Per-channel mean of float inputs (F values); empty for keys.</summary>
        public float[] InputMeans { get; set; } = [];

        /// <summary>Per-channel scale (standard deviation, 1 when constant) of float inputs; empty for keys.</summary>
        public float[] InputScales { get; set; } = [];

        public float TargetMean { get; set; }

        public float TargetScale { get; set; } = 1f;

        public string? LabelKeyValuesType { get; set; }
    }

    /// <summary>What the model predicts.</summary>
    public SequenceTask Task => _settings.Architecture.Task;

    /// <summary>The recurrent cell.</summary>
    public SequenceCellType Cell => _settings.Architecture.Cell;

    /// <summary>How the features column is read.</summary>
    public SequenceInputKind InputKind => _settings.Architecture.InputKind;

    /// <summary>The features column the model reads.</summary>
    public string FeatureColumnName => _settings.FeatureColumnName;

    /// <summary>The label column the model was trained on (not read when scoring).</summary>
    public string LabelColumnName => _settings.LabelColumnName;

    /// <summary>The classes (classification, tagging), or the horizon (forecasting).</summary>
    public int OutputCount => _settings.Architecture.OutputCount;

    /// <summary>What training did; null for a loaded model.</summary>
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

    internal static SequencePredictionTransformer Load(ModelLoadContext context)
    {
        var settings = context.GetOptions<SavedOptions>();
        if (string.IsNullOrEmpty(settings.FeatureColumnName) || string.IsNullOrEmpty(settings.LabelColumnName))
            throw context.Invalid("it needs feature and label column names");
        var architecture = settings.Architecture ?? throw context.Invalid("it has no architecture");
        if (architecture.Problem() is { } problem)
            throw context.Invalid(problem);
        int channels = architecture.InputKind == SequenceInputKind.Floats ? architecture.StepSize : 0;
        if (settings.InputMeans?.Length != channels || settings.InputScales?.Length != channels
            || settings.InputScales.Any(s => !(s > 0) || !float.IsFinite(s)) || settings.InputMeans.Any(m => !float.IsFinite(m))
            || !(settings.TargetScale > 0) || !float.IsFinite(settings.TargetScale) || !float.IsFinite(settings.TargetMean))
            throw context.Invalid("its standardization statistics are not valid");
        var network = new SequenceNetwork(architecture, new RandomSource(0));
        foreach (var (name, tensor) in network.StateDict())
            context.GetTensor(name, tensor.Shape).Span.CopyTo(tensor.Span);
        LabelKeyValues? keyValues = null;
        if (settings.LabelKeyValuesType is { } itemType)
        {
            keyValues = LabelKeyValues.Load(context, KeyValuesName, itemType);
            if (keyValues.Count != architecture.OutputCount)
                throw context.Invalid($"it has {keyValues.Count} label key values for {architecture.OutputCount} classes");
        }
        return new SequencePredictionTransformer(network, settings, keyValues, null);
    }

    private AddedColumn[] Bind(DataViewSchema schema)
    {
        var architecture = _settings.Architecture;
        var features = ColumnChecks.Find(schema, FeatureColumnName);
        var kind = SequenceFeatureReader.KindOf(features.Type);
        string expected = architecture.InputKind == SequenceInputKind.Keys ? $"Vector<Key<UInt32, 0-{architecture.VocabularySize - 2}>>" : "Vector<Single>";
        if (kind is not { } found || found.Kind != architecture.InputKind
            || (found.Kind == SequenceInputKind.Keys && found.KeyCount != architecture.VocabularySize - 1))
            throw ColumnChecks.WrongType(features.Name, expected, features.Type);
        var scorers = new ConditionalWeakTable<DataViewRow, RowScorer>();
        RowScorer ScorerOf(DataViewRow row) => scorers.GetValue(row, r => new RowScorer(this, r, features));
        int outputs = architecture.OutputCount;
        switch (Task)
        {
            case SequenceTask.BinaryClassification:
                return
                [
                    Scalar("Score", NumberDataViewType.Single, features, ScorerOf, (RowScorer s, ref float v) => v = s.Outputs[0]),
                    Scalar("Probability", NumberDataViewType.Single, features, ScorerOf, (RowScorer s, ref float v) => v = Sigmoid(s.Outputs[0])),
                    Scalar("PredictedLabel", BooleanDataViewType.Instance, features, ScorerOf, (RowScorer s, ref bool v) => v = s.Outputs[0] > 0),
                ];
            case SequenceTask.Forecasting when outputs == 1:
                return [Scalar("Score", NumberDataViewType.Single, features, ScorerOf, (RowScorer s, ref float v) => v = s.Outputs[0])];
            case SequenceTask.Forecasting:
            case SequenceTask.MulticlassClassification:
                return
                [
                    Vector("Score", new VectorDataViewType(NumberDataViewType.Single, outputs), features, ScorerOf),
                    .. Task == SequenceTask.MulticlassClassification ? [PredictedKeys(features, ScorerOf)] : Array.Empty<AddedColumn>(),
                ];
            default:
                return [Vector("Score", new VectorDataViewType(NumberDataViewType.Single), features, ScorerOf), PredictedKeys(features, ScorerOf)];
        }
    }

    private AddedColumn PredictedKeys(DataViewSchema.Column features, Func<DataViewRow, RowScorer> scorerOf)
    {
        var keyType = new KeyDataViewType(typeof(uint), OutputCount);
        if (Task == SequenceTask.MulticlassClassification)
        {
            return new AddedColumn(new DataViewSchema.DetachedColumn("PredictedLabel", keyType, _keyValues?.ToAnnotations()), [features],
                ColumnGetterFactory.Of<uint>(row =>
                {
                    var scorer = scorerOf(row);
                    return (ref uint value) =>
                    {
                        scorer.Score(row);
                        value = ArgMaxKey(scorer.Outputs);
                    };
                }));
        }
        return new AddedColumn(new DataViewSchema.DetachedColumn("PredictedLabel", new VectorDataViewType(keyType), _keyValues?.ToAnnotations()), [features],
            ColumnGetterFactory.Of<VBuffer<uint>>(row =>
            {
                var scorer = scorerOf(row);
                return (ref VBuffer<uint> value) =>
                {
                    scorer.Score(row);
                    int tokens = scorer.Outputs.Length / OutputCount;
                    var keys = VBuffer<uint>.PrepareDense(ref value, tokens);
                    for (int t = 0; t < tokens; t++)
                        keys[t] = ArgMaxKey(scorer.Outputs.AsSpan(t * OutputCount, OutputCount));
                };
            }));
    }

    private static uint ArgMaxKey(ReadOnlySpan<float> probabilities) =>
        float.IsNaN(probabilities[0]) ? 0u : (uint)TensorPrimitives.IndexOfMax(probabilities) + 1;

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

    private static AddedColumn Vector(string name, VectorDataViewType type, DataViewSchema.Column features, Func<DataViewRow, RowScorer> scorerOf) =>
        new(new DataViewSchema.DetachedColumn(name, type), [features], ColumnGetterFactory.Of<VBuffer<float>>(row =>
        {
            var scorer = scorerOf(row);
            return (ref VBuffer<float> value) =>
            {
                scorer.Score(row);
                scorer.Outputs.AsSpan().CopyTo(VBuffer<float>.PrepareDense(ref value, scorer.Outputs.Length));
            };
        }));

    private static float Sigmoid(float x) => 1f / (1f + MathF.Exp(-x));

    /// <summary>
    /// Runs the network once per row for all the output columns of one cursor: the outputs (logit, probabilities or
    /// de-standardized forecasts) are kept until the row's position changes.
    /// </summary>
    private sealed class RowScorer
    {
        private readonly SequencePredictionTransformer _model;
        private readonly SequenceFeatureReader _reader;
        private readonly List<float> _steps = [];
        private long _position = -1;

        public RowScorer(SequencePredictionTransformer model, DataViewRow row, DataViewSchema.Column features)
        {
            _model = model;
            _reader = new SequenceFeatureReader(row, features, model._settings.Architecture);
        }

        public float[] Outputs { get; private set; } = [];

        public void Score(DataViewRow row)
        {
            if (row.Position == _position)
                return;
            var settings = _model._settings;
            var architecture = settings.Architecture;
            _steps.Clear();
            int length = _reader.Read(row, _steps);
            int width = architecture.PackedStepWidth;
            int tokens = length;
            if (length == 0)
            {
                length = 1;
                _steps.AddRange(new float[width]);
            }
            var input = new Tensor(1, 1 + length * width);
            var packed = input.Span;
            packed[0] = length;
            for (int i = 0; i < _steps.Count; i++)
                packed[1 + i] = architecture.InputKind == SequenceInputKind.Floats
                    ? (_steps[i] - settings.InputMeans[i % width]) / settings.InputScales[i % width]
                    : _steps[i];
            var logits = _model._network.Forward(input).Span;
            int classes = architecture.OutputCount;
            switch (architecture.Task)
            {
                case SequenceTask.MulticlassClassification:
                    Outputs = new float[classes];
                    TensorPrimitives.SoftMax(logits, Outputs);
                    break;
                case SequenceTask.Tagging:
                    Outputs = new float[tokens * classes];
                    for (int t = 0; t < tokens; t++)
                        TensorPrimitives.SoftMax(logits.Slice(t * classes, classes), Outputs.AsSpan(t * classes, classes));
                    break;
                case SequenceTask.Forecasting:
                    Outputs = new float[classes];
                    for (int i = 0; i < classes; i++)
                        Outputs[i] = logits[i] * settings.TargetScale + settings.TargetMean;
                    break;
                default:
                    Outputs = [logits[0]];
                    break;
            }
            _position = row.Position;
        }
    }
}
