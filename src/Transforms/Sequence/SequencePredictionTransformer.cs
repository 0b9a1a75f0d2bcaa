using MLNetExt.Transforms.Persistence;
using MLNetExt.Trainers.Sequence;
using MLNetExt.Core;
using Microsoft.ML;
using Microsoft.ML.Data;
using MLNetExt.Trainers.DeepLearning;
using MLNetExt.Transforms.DeepLearning;

using MLNetExt.Core.Onnx;

namespace MLNetExt.Transforms.Sequence;

/// <summary>
/// A trained LSTM, GRU or RNN sequence model that scores a features column (keys or steps of floats), with ML.NET's output
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
public sealed class SequencePredictionTransformer : DeepPredictionTransformer
{
    internal const string Kind = "SequencePrediction";

    private readonly SequenceNetwork _network;
    private readonly SavedOptions _settings;

    internal SequencePredictionTransformer(SequenceNetwork network, SavedOptions settings, LabelKeyValues? keyValues, DeepTrainingResult? trainingResult)
        : base(Kind, network, PredictionTask.Of(settings.Architecture.Task, settings.Architecture.OutputCount), keyValues, trainingResult)
    {
        _network = network;
        _settings = settings;
    }

    /// <summary>The saved settings: columns, architecture and standardization.</summary>
    internal sealed class SavedOptions
    {
        public string FeatureColumnName { get; set; } = "";

        public string LabelColumnName { get; set; } = "";

        /// <summary>
        /// The size of the training features vector, 0 when it varies. A saved model's ONNX input takes this size
        /// (ML.NET's OnnxTransformer shapes a known-size column by the graph's declared dimensions).
        /// </summary>
        public int FeatureVectorSize { get; set; }

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

    /// <inheritdoc />
    public override string FeatureColumnName => _settings.FeatureColumnName;

    /// <inheritdoc />
    public override string LabelColumnName => _settings.LabelColumnName;

    /// <summary>The classes (classification, tagging), or the horizon (forecasting).</summary>
    public int OutputCount => _settings.Architecture.OutputCount;

    // The weights of the embedding, the recurrent layers' input and hidden matrices and the head (biases come on
    // top), in long arithmetic; all sizes are within the limits, so nothing overflows.
    private static long WeightMatrices(SequenceArchitecture architecture)
    {
        long gates = architecture.Cell switch { SequenceCellType.Lstm => 4, SequenceCellType.Gru => 3, _ => 1 };
        long hidden = architecture.HiddenSize, directions = architecture.Directions, input = architecture.RecurrentInputSize;
        long total = architecture.InputKind == SequenceInputKind.Keys ? (long)architecture.VocabularySize * architecture.EmbeddingDimension : 0;
        for (int layer = 0; layer < architecture.NumberOfLayers; layer++)
        {
            total += directions * gates * hidden * (input + hidden);
            input = directions * hidden;
        }
        return total + directions * hidden * architecture.OutputCount;
    }

    internal static SequencePredictionTransformer Load(NativeModelReader context)
    {
        var settings = context.GetOptions<SavedOptions>();
        if (string.IsNullOrEmpty(settings.FeatureColumnName) || string.IsNullOrEmpty(settings.LabelColumnName))
            throw context.Invalid("it needs feature and label column names");
        var architecture = settings.Architecture ?? throw context.Invalid("it has no architecture");
        if (architecture.Problem() is { } problem)
            throw context.Invalid(problem);
        if (!PredictionTask.Of(architecture.Task, architecture.OutputCount).SuitsOutputCount(architecture.OutputCount))
            throw context.Invalid($"its output count {architecture.OutputCount} does not suit task {architecture.Task}");
        const int Width = SavedModelLimits.MaximumWidth;
        bool keys = architecture.InputKind == SequenceInputKind.Keys;
        if (architecture.HiddenSize > Width || architecture.OutputCount > Width || architecture.NumberOfLayers > SavedModelLimits.MaximumLayers
            || (keys ? architecture.VocabularySize > SavedModelLimits.MaximumVocabulary || architecture.EmbeddingDimension > Width : architecture.StepSize > Width))
            throw context.Invalid($"its architecture is over the limits: hidden size {architecture.HiddenSize} and output count {architecture.OutputCount} at most {Width}, "
                + $"{architecture.NumberOfLayers} layers at most {SavedModelLimits.MaximumLayers}, "
                + (keys ? $"vocabulary {architecture.VocabularySize} at most {SavedModelLimits.MaximumVocabulary} and embedding dimension {architecture.EmbeddingDimension} at most {Width}"
                    : $"step size {architecture.StepSize} at most {Width}"));
        if (settings.FeatureVectorSize < 0 || settings.FeatureVectorSize > (long)SavedModelLimits.MaximumSequenceLength * architecture.PackedStepWidth)
            throw context.Invalid($"its feature vector size {settings.FeatureVectorSize} is out of range");
        context.RequireWeights(WeightMatrices(architecture), keys
            ? $"its vocabulary {architecture.VocabularySize}, embedding dimension {architecture.EmbeddingDimension}, {architecture.NumberOfLayers} layer(s) of {architecture.HiddenSize} and output count {architecture.OutputCount}"
            : $"its step size {architecture.StepSize}, {architecture.NumberOfLayers} layer(s) of {architecture.HiddenSize} and output count {architecture.OutputCount}");
        int channels = architecture.InputKind == SequenceInputKind.Floats ? architecture.StepSize : 0;
        if (settings.InputMeans?.Length != channels || settings.InputScales?.Length != channels
            || settings.InputScales.Any(s => !(s > 0) || !float.IsFinite(s)) || settings.InputMeans.Any(m => !float.IsFinite(m))
            || !(settings.TargetScale > 0) || !float.IsFinite(settings.TargetScale) || !float.IsFinite(settings.TargetMean))
            throw context.Invalid("its standardization statistics are not valid");
        var network = new SequenceNetwork(architecture, new RandomSource(0));
        LoadWeights(context, network);
        return new SequencePredictionTransformer(network, settings, LoadKeyValues(context, settings.LabelKeyValuesType, architecture.OutputCount), null);
    }

    private protected override void SaveSettings(NativeModelWriter context) => context.SetOptions(_settings);

    private protected override int OutputWidth => OutputCount;

    /// <summary>
    /// The network over one row of the features column as the engine reads it: a variable-length key vector
    /// (uint32 [1, L]; the missing key 0 is dropped, as <see cref="SequenceFeatureReader"/> does) or float steps
    /// (float [1, L·W], standardized with the training statistics); a row with no step reads one padding step.
    /// Forecasts are de-standardized in the graph; a tagger's logits cover the row's own tokens.
    /// </summary>
    private protected override ExportedNetwork ExportNetwork()
    {
        var architecture = _settings.Architecture;
        bool tagging = architecture.Task == SequenceTask.Tagging;
        var graph = new OnnxGraphBuilder();
        var inputs = new DataViewSchema.Builder();
        OnnxValue steps;  // [1, T'] int64 ids or [1, T', W] floats, T' ≥ 1
        OnnxValue lengths;  // [1] int32
        string tokenCount;  // [1] int64: the row's steps before padding (a tagger's outputs cover these)
        const string Scope = "/features";
        if (architecture.InputKind == SequenceInputKind.Keys)
        {
            var keys = graph.AddInput(FeatureColumnName, OnnxElementType.UInt32, [1, FeatureLength]);
            inputs.AddColumn(FeatureColumnName, new VectorDataViewType(new KeyDataViewType(typeof(uint), architecture.VocabularySize - 1), _settings.FeatureVectorSize));
            string ids = graph.AddNode("Reshape", [graph.AddNode("Cast", [keys.Name], Scope, OnnxAttribute.Int("to", (long)OnnxElementType.Int64)), graph.Int64Constant(-1)], Scope);
            // A tagger keeps every token in its place (a missing key reads the zero padding embedding); the others drop missing keys.
            string compact = tagging ? ids : graph.AddNode("Gather",
                [ids, graph.AddNode("Reshape", [graph.AddNode("NonZero", [ids], Scope), graph.Int64Constant(-1)], Scope)], Scope, OnnxAttribute.Int("axis", 0));  // [K]
            (string kept, lengths) = AtLeastOneStep(graph, compact, graph.Int64Constant(0), Scope);
            tokenCount = graph.AddNode("Shape", [compact], Scope);
            steps = new OnnxValue(graph.AddNode("Unsqueeze", [kept, graph.Int64Constant(0)], Scope), OnnxElementType.Int64, [1, "T"]);
        }
        else
        {
            int width = architecture.StepSize;
            var values = graph.AddInput(FeatureColumnName, OnnxElementType.Float, [1, FeatureLength]);
            inputs.AddColumn(FeatureColumnName, new VectorDataViewType(NumberDataViewType.Single, _settings.FeatureVectorSize));
            string rows = graph.AddNode("Reshape", [values.Name, graph.Int64Constant(-1, width)], Scope);  // [T, W]
            var means = graph.AddInitializer("input_means", new Tensor(_settings.InputMeans, [width]));
            var scales = graph.AddInitializer("input_scales", new Tensor(_settings.InputScales, [width]));
            string padding = graph.AddInitializer("onnx_zero_step", new Tensor(new float[width], [1, width])).Name;
            (string kept, lengths) = AtLeastOneStep(graph, rows, padding, Scope);
            tokenCount = graph.AddNode("Slice", [graph.AddNode("Shape", [rows], Scope), graph.Int64Constant(0), graph.Int64Constant(1)], Scope);
            string standardized = graph.AddNode("Div", [graph.AddNode("Sub", [kept, means.Name], Scope), scales.Name], Scope);
            steps = new OnnxValue(graph.AddNode("Unsqueeze", [standardized, graph.Int64Constant(0)], Scope), OnnxElementType.Float, [1, "T", width]);
        }
        var logits = SequenceNetworkOnnx.AddNetwork(graph, _network, steps, lengths);  // [1, C], or [1, T', C] tagging
        if (architecture.Task == SequenceTask.Forecasting)
        {
            var targetScale = graph.AddInitializer("target_scale", new Tensor([_settings.TargetScale], [1]));
            var targetMean = graph.AddInitializer("target_mean", new Tensor([_settings.TargetMean], [1]));
            logits = logits.As(graph.AddNode("Add", [graph.AddNode("Mul", [logits.Name, targetScale.Name], "/forecast"), targetMean.Name], "/forecast"));
        }
        return new ExportedNetwork(graph, inputs.ToSchema(), logits, tagging ? tokenCount : null);
    }

    // The features input's length: the training column's size, or symbolic when it varied.
    private OnnxDim FeatureLength => _settings.FeatureVectorSize > 0 ? _settings.FeatureVectorSize : "L";

    // The first max(K, 1) steps of `steps` followed by one padding step (K = steps' first dimension), and max(K, 1)
    // as int32 [1]: a row with no step reads one padding step, as the engine does.
    private static (string Steps, OnnxValue Lengths) AtLeastOneStep(OnnxGraphBuilder graph, string steps, string padding, string scope)
    {
        string withPadding = graph.AddNode("Concat", [steps, padding], scope, OnnxAttribute.Int("axis", 0));
        string count = graph.AddNode("Max", [graph.AddNode("Gather", [graph.AddNode("Shape", [steps], scope), graph.Int64Constant(0)], scope, OnnxAttribute.Int("axis", 0)), graph.Int64Constant(1)], scope);
        string kept = graph.AddNode("Slice", [withPadding, graph.Int64Constant(0), count, graph.Int64Constant(0)], scope);
        var lengths = new OnnxValue(graph.AddNode("Cast", [count], scope, OnnxAttribute.Int("to", (long)OnnxElementType.Int32)), OnnxElementType.Int32, [1]);
        return (kept, lengths);
    }

    private protected override AddedColumn[] BindOutputs(DataViewSchema schema)
    {
        var architecture = _settings.Architecture;
        var features = ColumnChecks.Find(schema, FeatureColumnName);
        var kind = SequenceFeatureReader.KindOf(features.Type);
        string expected = architecture.InputKind == SequenceInputKind.Keys ? $"Vector<Key<UInt32, 0-{architecture.VocabularySize - 2}>>" : "Vector<Single>";
        if (kind is not { } found || found.Kind != architecture.InputKind
            || (found.Kind == SequenceInputKind.Keys && found.KeyCount != architecture.VocabularySize - 1))
            throw ColumnChecks.WrongType(features.Name, expected, features.Type);
        var scorerOf = ScorerPerRow(row => new SequenceRowScorer(this, row, features));
        return PredictionTask.BindOutputs(features, scorerOf, architecture.OutputCount, KeyValues);
    }

    // Outputs: the logit (binary), class probabilities (multiclass, and per token for tagging) or de-standardized
    // forecasts.
    private sealed class SequenceRowScorer : RowScorer
    {
        private readonly SequencePredictionTransformer _model;
        private readonly SequenceFeatureReader _reader;
        private readonly List<float> _steps = [];

        public SequenceRowScorer(SequencePredictionTransformer model, DataViewRow row, DataViewSchema.Column features)
            : base(model)
        {
            _model = model;
            _reader = new SequenceFeatureReader(row, features, model._settings.Architecture);
        }

        protected override void Compute(DataViewRow row)
        {
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
            var input = Tape.Allocate([1, 1 + length * width], clear: false);
            var packed = input.Span;
            packed[0] = length;
            for (int i = 0; i < _steps.Count; i++)
                packed[1 + i] = architecture.InputKind == SequenceInputKind.Floats
                    ? (_steps[i] - settings.InputMeans[i % width]) / settings.InputScales[i % width]
                    : _steps[i];
            var logits = _model._network.Forward(input, Tape).Span;
            int outputs = architecture.OutputCount;
            var scores = OutputsOfLength(_model.PredictionTask.ScoreCount(outputs, tokens));
            _model.PredictionTask.WriteScores(logits, scores, outputs);
            // Forecasts were trained on standardized targets.
            if (architecture.Task == SequenceTask.Forecasting)
            {
                for (int i = 0; i < scores.Length; i++)
                    scores[i] = scores[i] * settings.TargetScale + settings.TargetMean;
            }
        }
    }
}
