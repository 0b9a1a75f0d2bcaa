using Microsoft.ML;
using Microsoft.ML.Data;
using MLNetExt.Core;
using MLNetExt.Core.Onnx;
using MLNetExt.Trainers.Autoencoders;
using MLNetExt.Trainers.DeepLearning;
using MLNetExt.Transforms.DeepLearning;
using MLNetExt.Transforms.Persistence;
using MLNetExt.Transforms.Saving;

namespace MLNetExt.Transforms.Autoencoders;

/// <summary>
/// A trained autoencoder anomaly detector. It reads a features column, Vector&lt;Single, F&gt;, and adds the columns
/// of ML.NET's anomaly detectors: Score (Single, higher is more anomalous: the mean per-feature reconstruction error,
/// plus β·KL/F for the variational kind, measured in standardized units when the model standardizes) and
/// PredictedLabel (Boolean, Score &gt; <see cref="Threshold"/>); before them, the per-feature reconstruction errors
/// (Vector&lt;Single, F&gt;, which features made the row anomalous) and, when asked, the code vector
/// (Vector&lt;Single, K&gt;, the encoder as a feature extractor). Saved as kind <c>"AutoencoderAnomaly"</c>.
/// </summary>
/// <remarks>
/// <para>The threshold is the (1 − contamination) quantile of the training rows' scores; <see cref="WithThreshold"/>
/// (or <c>mlContext.AnomalyDetection.ChangeModelThreshold</c>) gives a model with another one.</para>
/// <para>Saved with <c>mlContext.Model.Save</c> as ML.NET's OnnxTransformer over the exported graph (standardization,
/// network, errors and raw score) and ML.NET's own anomaly scorer (<c>AnomalyPredictionTransformer</c>), so the file
/// loads and scores in plain ML.NET. A NaN feature gives a NaN score and a false prediction, as in ML.NET.</para>
/// </remarks>
public sealed class AutoencoderAnomalyTransformer : ColumnAddingTransformer
{
    internal const string Kind = "AutoencoderAnomaly";
    private const string RawScoreColumn = "MLNetExt.RawScore";
    private const string MeanName = "standardizer.mean";
    private const string ScaleName = "standardizer.scale";

    private readonly AutoencoderNetwork _network;
    private readonly SavedOptions _settings;
    private readonly FeatureStandardizer? _standardizer;

    internal AutoencoderAnomalyTransformer(AutoencoderNetwork network, SavedOptions settings, FeatureStandardizer? standardizer, DeepTrainingResult? trainingResult)
    {
        _network = network;
        _settings = settings;
        _standardizer = standardizer;
        TrainingResult = trainingResult;
        _network.Eval();
    }

    /// <summary>The saved settings: columns, threshold and architecture.</summary>
    internal sealed class SavedOptions
    {
        public string FeatureColumnName { get; set; } = "";

        public string? ReconstructionErrorsColumnName { get; set; }

        public string? CodeColumnName { get; set; }

        public float Threshold { get; set; }

        public bool Standardized { get; set; }

        public AutoencoderArchitecture Architecture { get; set; } = new();

        public SavedOptions With(float threshold)
        {
            var copy = (SavedOptions)MemberwiseClone();
            copy.Threshold = threshold;
            return copy;
        }
    }

    /// <summary>The features column the model reads.</summary>
    public string FeatureColumnName => _settings.FeatureColumnName;

    /// <summary>F, the length of the features vector.</summary>
    public int FeatureCount => _network.FeatureCount;

    /// <summary>The architecture.</summary>
    public AutoencoderKind ArchitectureKind => _settings.Architecture.Kind;

    /// <summary>The length of the code vector.</summary>
    public int CodeSize => _network.CodeSize;

    /// <summary>PredictedLabel is true when Score is above this.</summary>
    public float Threshold => _settings.Threshold;

    /// <summary>The column of per-feature reconstruction errors, or null when the model adds none.</summary>
    public string? ReconstructionErrorsColumnName => _settings.ReconstructionErrorsColumnName;

    /// <summary>The column of the code vector, or null when the model adds none.</summary>
    public string? CodeColumnName => _settings.CodeColumnName;

    /// <summary>What training did (epochs, best epoch, why it stopped); null for a loaded model.</summary>
    public DeepTrainingResult? TrainingResult { get; }

    /// <summary>The same model with PredictedLabel = Score &gt; <paramref name="threshold"/>; the network is shared, not copied.</summary>
    /// <param name="threshold">The new threshold; a finite number.</param>
    /// <exception cref="ArgumentOutOfRangeException">The threshold is NaN or infinite.</exception>
    public AutoencoderAnomalyTransformer WithThreshold(float threshold)
    {
        if (!float.IsFinite(threshold))
            throw new ArgumentOutOfRangeException(nameof(threshold), threshold, "The threshold must be a finite number.");
        return new AutoencoderAnomalyTransformer(_network, _settings.With(threshold), _standardizer, TrainingResult);
    }

    // The weights of the encoder's linear or convolution layers (the decoder and the biases come on top), in long
    // arithmetic: the least a file must hold for the architecture, which Problem() has checked against hard limits.
    private static long EncoderWeights(AutoencoderArchitecture architecture)
    {
        long total = 0;
        if (architecture.Kind == AutoencoderKind.Convolutional)
        {
            long previous = architecture.ImageShape![0], kernel = (long)architecture.KernelSize * architecture.KernelSize;
            foreach (int channels in architecture.ConvolutionChannels)
            {
                total += previous * channels * kernel;
                previous = channels;
            }
            return total;
        }
        long width = architecture.FeatureCount;
        foreach (long next in architecture.HiddenLayers.Append(architecture.CodeSize))
        {
            total += width * next;
            width = next;
        }
        return total;
    }

    internal static AutoencoderAnomalyTransformer Load(NativeModelReader context)
    {
        var settings = context.GetOptions<SavedOptions>();
        if (string.IsNullOrEmpty(settings.FeatureColumnName))
            throw context.Invalid("it needs a feature column name");
        if (!float.IsFinite(settings.Threshold))
            throw context.Invalid($"its threshold {settings.Threshold} is not a finite number");
        var architecture = settings.Architecture ?? throw context.Invalid("it has no architecture");
        if (architecture.Problem() is { } problem)
            throw context.Invalid(problem);
        context.RequireWeights(EncoderWeights(architecture), $"its {architecture.Kind} architecture over {architecture.FeatureCount} features");
        var network = AutoencoderNetwork.Build(architecture, new RandomSource(0));
        DeepPredictionTransformer.LoadWeights(context, network);
        FeatureStandardizer? standardizer = null;
        if (settings.Standardized)
        {
            int features = architecture.FeatureCount;
            try
            {
                standardizer = new FeatureStandardizer(context.GetTensor(MeanName, features).Span.ToArray(), context.GetTensor(ScaleName, features).Span.ToArray());
            }
            catch (ArgumentException e)
            {
                throw context.Invalid(e.Message.TrimEnd('.'));
            }
        }
        return new AutoencoderAnomalyTransformer(network, settings, standardizer, null);
    }

    private protected override AddedColumn[] Bind(DataViewSchema schema)
    {
        var features = ColumnChecks.Find(schema, FeatureColumnName);
        if (features.Type is not VectorDataViewType { ItemType: NumberDataViewType, Size: var size } vector
            || vector.ItemType != NumberDataViewType.Single || size != FeatureCount)
            throw ColumnChecks.WrongType(features.Name, $"Vector<Single, {FeatureCount}>", features.Type, "inputSchema");
        var scorerOf = NetworkRowScorer.PerRow(row => new AutoencoderRowScorer(this, row, features));
        var columns = new List<AddedColumn>();
        if (!string.IsNullOrEmpty(ReconstructionErrorsColumnName))
            columns.Add(VectorColumn(ReconstructionErrorsColumnName, features, scorerOf, 0, FeatureCount));
        if (!string.IsNullOrEmpty(CodeColumnName))
            columns.Add(VectorColumn(CodeColumnName, features, scorerOf, FeatureCount + 1, CodeSize));
        var annotations = ScorerSchema;
        columns.Add(new AddedColumn(new DataViewSchema.DetachedColumn("PredictedLabel", BooleanDataViewType.Instance, annotations["PredictedLabel"].Annotations), [features],
            ColumnGetterFactory.Of<bool>(row =>
            {
                var scorer = scorerOf(row);
                return (ref bool value) =>
                {
                    scorer.Score(row);
                    value = scorer.Outputs[FeatureCount] > Threshold;
                };
            })));
        columns.Add(new AddedColumn(new DataViewSchema.DetachedColumn("Score", NumberDataViewType.Single, annotations["Score"].Annotations), [features],
            ColumnGetterFactory.Of<float>(row =>
            {
                var scorer = scorerOf(row);
                return (ref float value) =>
                {
                    scorer.Score(row);
                    value = scorer.Outputs[FeatureCount];
                };
            })));
        return [.. columns];
    }

    private static AddedColumn VectorColumn(string name, DataViewSchema.Column features, Func<DataViewRow, AutoencoderRowScorer> scorerOf, int offset, int length) =>
        new(new DataViewSchema.DetachedColumn(name, new VectorDataViewType(NumberDataViewType.Single, length)), [features],
            ColumnGetterFactory.Of<VBuffer<float>>(row =>
            {
                var scorer = scorerOf(row);
                return (ref VBuffer<float> value) =>
                {
                    scorer.Score(row);
                    DenseVBuffer.Write(ref value, scorer.Outputs.AsSpan(offset, length));
                };
            }));

    // The schema ML.NET's anomaly scorer gives (its annotations go on the native columns too), built once without ONNX.
    private DataViewSchema ScorerSchema => _scorerSchema ??= BuildScorerSchema();

    private DataViewSchema? _scorerSchema;

    private DataViewSchema BuildScorerSchema()
    {
        var raw = new DataViewSchema.Builder();
        raw.AddColumn(RawScoreColumn, new VectorDataViewType(NumberDataViewType.Single, 1));
        var form = new OnnxSavedForm(raw.ToSchema());
        form.Add(MLNetScorers.AnomalyDetection(form.Context, form.Schema, RawScoreColumn, Threshold));
        return form.Schema;
    }

    private protected override ITransformer CreateSavableForm()
    {
        var exported = ExportGraph();
        var form = new OnnxSavedForm(exported.Inputs);
        form.AddOnnx(exported.Graph, [FeatureColumnName], exported.OutputColumns);
        form.MarkIntermediate(RawScoreColumn);
        form.Add(MLNetScorers.AnomalyDetection(form.Context, form.Schema, RawScoreColumn, Threshold));
        return form.Build();
    }

    // Features [1, F] → standardize → network → errors [F], code [K], raw score [1]; the native state in the metadata.
    private protected override ExportedGraph ExportGraph()
    {
        var graph = new OnnxGraphBuilder();
        var features = graph.AddInput(FeatureColumnName, OnnxElementType.Float, [1, FeatureCount]);
        var input = features;
        if (_standardizer is { } standardizer)
        {
            var mean = graph.AddInitializer(MeanName, Tensor.FromValues(standardizer.Mean, FeatureCount));
            var scale = graph.AddInitializer(ScaleName, Tensor.FromValues(standardizer.Scale, FeatureCount));
            string centered = graph.AddNode("Sub", [features.Name, mean.Name], "standardizer");
            input = features.As(graph.AddNode("Div", [centered, scale.Name], "standardizer"));
        }
        var network = _network.ExportOnnx(graph, input);
        const string Scope = "errors";
        string errors;
        if (_settings.Architecture.ReconstructionLoss == AutoencoderReconstructionLoss.MeanSquaredError)
        {
            string difference = graph.AddNode("Sub", [network.Reconstruction.Name, input.Name], Scope);
            errors = graph.AddNode("Mul", [difference, difference], Scope);
        }
        else
        {
            string softplus = graph.AddNode("Softplus", [network.Reconstruction.Name], Scope);
            errors = graph.AddNode("Sub", [softplus, graph.AddNode("Mul", [network.Reconstruction.Name, input.Name], Scope)], Scope);
        }
        string score = graph.AddNode("ReduceMean", [errors], Scope, OnnxAttribute.Ints("axes", 1), OnnxAttribute.Int("keepdims", 1));
        if (network.RowPenalty is { } penalty)
            score = graph.AddNode("Add", [score, penalty.Name], Scope);
        var outputs = new List<string>();
        if (!string.IsNullOrEmpty(ReconstructionErrorsColumnName))
        {
            graph.AddOutput(new OnnxValue(graph.AddNode("Reshape", [errors, graph.Int64Constant(FeatureCount)], Scope), OnnxElementType.Float, [FeatureCount]), ReconstructionErrorsColumnName);
            outputs.Add(ReconstructionErrorsColumnName);
        }
        if (!string.IsNullOrEmpty(CodeColumnName))
        {
            graph.AddOutput(new OnnxValue(graph.AddNode("Reshape", [network.Code.Name, graph.Int64Constant(CodeSize)], "code"), OnnxElementType.Float, [CodeSize]), CodeColumnName);
            outputs.Add(CodeColumnName);
        }
        graph.AddOutput(new OnnxValue(graph.AddNode("Reshape", [score, graph.Int64Constant(1)], Scope), OnnxElementType.Float, [1]), RawScoreColumn);
        outputs.Add(RawScoreColumn);
        var writer = new NativeModelWriter();
        WriteNativeState(writer);
        NativeStateInOnnx.Write(graph, writer.ToState());
        var inputs = new DataViewSchema.Builder();
        inputs.AddColumn(FeatureColumnName, new VectorDataViewType(NumberDataViewType.Single, FeatureCount));
        return new ExportedGraph(graph, inputs.ToSchema(), [.. outputs]);
    }

    private void WriteNativeState(NativeModelWriter context)
    {
        context.SetKind(Kind);
        context.SetOptions(_settings);
        foreach (var (name, tensor) in _network.StateDict())
            context.AddTensor(name, tensor);
        if (_standardizer is { } standardizer)
        {
            context.AddTensor(MeanName, Tensor.FromValues(standardizer.Mean, FeatureCount));
            context.AddTensor(ScaleName, Tensor.FromValues(standardizer.Scale, FeatureCount));
        }
    }

    // Outputs: the F errors, the score, then the K code values.
    private sealed class AutoencoderRowScorer : NetworkRowScorer
    {
        private readonly AutoencoderAnomalyTransformer _model;
        private readonly ValueGetter<VBuffer<float>> _features;
        private readonly DataViewSchema.Column _featuresColumn;
        private readonly Tensor _input;
        private readonly float[] _score = new float[1];
        private VBuffer<float> _buffer;

        public AutoencoderRowScorer(AutoencoderAnomalyTransformer model, DataViewRow row, DataViewSchema.Column features)
            : base(model._network)
        {
            _model = model;
            _featuresColumn = features;
            _features = row.GetGetter<VBuffer<float>>(features);
            _input = new Tensor(1, model.FeatureCount);
            Outputs = new float[model.FeatureCount + 1 + model.CodeSize];
        }

        protected override void Compute(DataViewRow row)
        {
            _features(ref _buffer);
            int features = _model.FeatureCount;
            if (_buffer.Length != features)
                throw ColumnChecks.BadValue(_featuresColumn.Name, row, $"the vector has {_buffer.Length} values, expected {features}");
            _buffer.CopyTo(_input.Span);
            _model._standardizer?.Apply(_input.Span);
            var network = _model._network;
            var reconstruction = network.Forward(_input, Tape).Span;
            var errors = Outputs.AsSpan(0, features);
            ReconstructionErrors.OfRow(reconstruction, _input.Span, network.Architecture.ReconstructionLoss, errors);
            _score[0] = System.Numerics.Tensors.TensorPrimitives.Sum<float>(errors) / features;
            network.AddRowPenalties(_score);
            Outputs[features] = _score[0];
            network.LastCode!.Span.CopyTo(Outputs.AsSpan(features + 1));
        }
    }
}
