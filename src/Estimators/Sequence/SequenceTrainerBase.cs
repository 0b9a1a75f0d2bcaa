using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Runtime;
using MLNetExt.Core;
using MLNetExt.Core.Modules;
using MLNetExt.Estimators.DeepLearning;
using MLNetExt.Trainers.DeepLearning;
using MLNetExt.Trainers.Sequence;
using MLNetExt.Transforms;
using MLNetExt.Transforms.DeepLearning;
using MLNetExt.Transforms.Sequence;

namespace MLNetExt.Estimators.Sequence;

/// <summary>
/// What the sequence trainers add to <see cref="DeepTrainerBase{TTransformer, TOptions}"/>: a features reader over
/// variable-length sequences of keys or of float steps (standardized per channel), packed as rows [N, 1 + T·W]
/// (length first); the <see cref="SequenceNetwork"/> (embedding, then a stack of the <see cref="SequenceTrainerOptions.Cell"/>
/// the options choose: LSTM, GRU or RNN); and a <see cref="SequencePredictionTransformer"/>.
/// </summary>
public abstract class SequenceTrainerBase : DeepTrainerBase<SequencePredictionTransformer, SequenceTrainerOptions>
{
    /// <param name="context">The ML.NET environment.</param>
    /// <param name="options">The settings; checked and copied here.</param>
    /// <param name="task">What the trained model predicts.</param>
    /// <param name="cell">The cell the Lstm/Gru convenience methods ask for, in place of the options' <see cref="SequenceTrainerOptions.Cell"/>; null keeps the options' cell.</param>
    /// <param name="horizon">The values a forecaster predicts per row; 1 for the other tasks.</param>
    private protected SequenceTrainerBase(IHostEnvironment context, SequenceTrainerOptions options, SequenceTask task, SequenceCellType? cell, int horizon = 1)
        : base(context, Prepare(options, cell), PredictionTask.Of(task, horizon))
    {
        Task = task;
    }

    /// <summary>What the trained model predicts.</summary>
    public SequenceTask Task { get; }

    /// <summary>The recurrent cell.</summary>
    public SequenceCellType Cell => TrainerOptions.Cell;

    private protected override string LabelColumnName => TrainerOptions.LabelColumnName;

    private protected override string FeatureColumnName => TrainerOptions.FeatureColumnName;

    private protected override string ExpectedFeatures => SequenceFeatureReader.ExpectedType;

    private protected override bool AcceptsFeatures(DataViewType type) => SequenceFeatureReader.KindOf(type) is not null;

    private protected override bool AcceptsFeatures(SchemaShape.Column features) =>
        features.Kind != SchemaShape.Column.VectorKind.Scalar && (features.IsKey || features.ItemType == NumberDataViewType.Single);

    private protected override ComponentFit StartFit(DataViewSchema.Column features, DataViewSchema.Column label, int outputCount) =>
        new SequenceFit(this, features, label, outputCount);

    // Checked and copied once, so that later changes to the caller's options do not reach the trainer.
    private static SequenceTrainerOptions Prepare(SequenceTrainerOptions options, SequenceCellType? cell)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (cell is { } chosen && !Enum.IsDefined(chosen))
            throw new ArgumentOutOfRangeException(nameof(cell), chosen, "Expected Lstm, Gru or Rnn.");
        options.Validate();
        var copy = options.Copy();
        copy.Cell = cell ?? copy.Cell;
        return copy;
    }

    private sealed class SequenceFit : ComponentFit
    {
        private readonly SequenceTrainerBase _trainer;
        private readonly DataViewSchema.Column _features;
        private readonly SequenceArchitecture _architecture;
        private readonly SequencePredictionTransformer.SavedOptions _settings;
        private SequenceNetwork? _network;

        public SequenceFit(SequenceTrainerBase trainer, DataViewSchema.Column features, DataViewSchema.Column label, int outputCount)
        {
            var options = trainer.TrainerOptions;
            var (inputKind, keyCount) = SequenceFeatureReader.KindOf(features.Type)!.Value;
            _trainer = trainer;
            _features = features;
            _architecture = new SequenceArchitecture
            {
                Task = trainer.Task,
                Cell = options.Cell,
                InputKind = inputKind,
                VocabularySize = keyCount + 1,
                EmbeddingDimension = options.EmbeddingDimension,
                StepSize = inputKind == SequenceInputKind.Floats ? options.StepSize : 1,
                HiddenSize = options.HiddenSize,
                NumberOfLayers = options.NumberOfLayers,
                Bidirectional = options.Bidirectional,
                Dropout = options.Dropout,
                Pooling = options.Pooling,
                OutputCount = outputCount,
            };
            _settings = new SequencePredictionTransformer.SavedOptions
            {
                FeatureColumnName = features.Name,
                LabelColumnName = label.Name,
                FeatureVectorSize = ((VectorDataViewType)features.Type).Size,
                Architecture = _architecture,
            };
        }

        public override Func<List<float>, int> CreateFeatureReader(DataViewRowCursor cursor)
        {
            var reader = new SequenceFeatureReader(cursor, _features, _architecture);
            return values =>
            {
                int length = reader.Read(cursor, values);
                if (length == 0)
                    throw ColumnChecks.BadValue(_features.Name, cursor, _architecture.InputKind == SequenceInputKind.Keys
                        ? "the sequence has no known token; every training row needs at least one step"
                        : "the vector is empty; every training row needs at least one step");
                return length;
            };
        }

        /// <summary>Standardizes, then packs the rows as [N, 1 + T·W] (length first, then the steps, zero-padded).</summary>
        public override PackedInputs PackInputs(IReadOnlyList<float[]> rows, TrainingLabels labels)
        {
            Standardize(rows, labels.Targets, _settings);
            int width = _architecture.PackedStepWidth;
            int steps = rows.Max(s => s.Length) / width, rowWidth = 1 + steps * width, count = rows.Count;
            var inputs = new float[checked(count * rowWidth)];
            for (int r = 0; r < count; r++)
            {
                var row = rows[r];
                inputs[r * rowWidth] = row.Length / width;
                row.CopyTo(inputs.AsSpan(r * rowWidth + 1));
            }
            return new PackedInputs(inputs, [rowWidth], steps);
        }

        public override Module BuildNetwork(RandomSource random)
        {
            var network = new SequenceNetwork(_architecture, random);
            InitializeEmbedding(network);
            return _network = network;
        }

        public override SequencePredictionTransformer CreateTransformer(LabelKeyValues? keyValues, DeepTrainingResult result)
        {
            _settings.LabelKeyValuesType = keyValues?.ItemTypeName;
            return new SequencePredictionTransformer(_network ?? throw new InvalidOperationException("The network is built before training."), _settings, keyValues, result);
        }

        /// <summary>Standardizes float steps per channel, and forecast targets, in place; records the statistics.</summary>
        private static void Standardize(IReadOnlyList<float[]> rows, List<float> targets, SequencePredictionTransformer.SavedOptions settings)
        {
            var architecture = settings.Architecture;
            if (architecture.InputKind == SequenceInputKind.Floats)
            {
                int channels = architecture.StepSize;
                var sums = new double[channels];
                var squares = new double[channels];
                long count = 0;
                foreach (var steps in rows)
                {
                    for (int i = 0; i < steps.Length; i++)
                    {
                        sums[i % channels] += steps[i];
                        squares[i % channels] += (double)steps[i] * steps[i];
                    }
                    count += steps.Length / channels;
                }
                settings.InputMeans = new float[channels];
                settings.InputScales = new float[channels];
                for (int c = 0; c < channels; c++)
                {
                    double mean = sums[c] / count, variance = Math.Max(squares[c] / count - mean * mean, 0);
                    settings.InputMeans[c] = (float)mean;
                    settings.InputScales[c] = variance > 1e-12 ? (float)Math.Sqrt(variance) : 1f;
                }
                foreach (var steps in rows)
                {
                    for (int i = 0; i < steps.Length; i++)
                        steps[i] = (steps[i] - settings.InputMeans[i % channels]) / settings.InputScales[i % channels];
                }
            }
            if (architecture.Task == SequenceTask.Forecasting)
            {
                double mean = targets.Average(t => (double)t);
                double variance = targets.Average(t => (t - mean) * (t - mean));
                settings.TargetMean = (float)mean;
                settings.TargetScale = variance > 1e-12 ? (float)Math.Sqrt(variance) : 1f;
                for (int i = 0; i < targets.Count; i++)
                    targets[i] = (targets[i] - settings.TargetMean) / settings.TargetScale;
            }
        }

        /// <summary>Copies <see cref="SequenceTrainerOptions.InitialEmbeddings"/> and the provider's vectors into the table, and freezes it when asked.</summary>
        private void InitializeEmbedding(SequenceNetwork network)
        {
            if (network.Embedding is not { } embedding)
                return;
            var options = _trainer.TrainerOptions;
            int keyCount = _architecture.VocabularySize - 1;
            int dim = embedding.EmbeddingDim;
            var weight = embedding.Weight.Span;
            if (options.InitialEmbeddings is { } matrix)
            {
                if (matrix.GetLength(0) != keyCount)
                    throw new ArgumentException($"Option {nameof(SequenceTrainerOptions.InitialEmbeddings)} has {matrix.GetLength(0)} rows, but column '{_features.Name}' has {keyCount} keys; expected one row per key.", nameof(SequenceTrainerOptions.InitialEmbeddings));
                for (int key = 1; key <= keyCount; key++)
                    for (int j = 0; j < dim; j++)
                        weight[key * dim + j] = matrix[key - 1, j];
            }
            if (options.EmbeddingProvider is { } provider)
            {
                var names = KeyNames(_features, keyCount);
                for (int key = 1; key <= keyCount; key++)
                {
                    if (provider(names[key - 1]) is not { } vector)
                        continue;
                    if (vector.Length != dim || vector.Any(v => !float.IsFinite(v)))
                        throw new ArgumentException($"Option {nameof(SequenceTrainerOptions.EmbeddingProvider)} gave token '{names[key - 1]}' a vector of {vector.Length} values; expected {dim} finite values.", nameof(SequenceTrainerOptions.EmbeddingProvider));
                    vector.CopyTo(weight.Slice(key * dim, dim));
                }
            }
            if (options.FreezeEmbeddings)
                embedding.Weight.RequiresGrad = false;
        }

        /// <summary>The text of every key of the features column (its KeyValues), or the key numbers when it has none.</summary>
        private static string[] KeyNames(DataViewSchema.Column features, int keyCount)
        {
            var names = Enumerable.Range(1, keyCount).Select(k => k.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToArray();
            if (features.Annotations.Schema.GetColumnOrNull(ColumnChecks.KeyValues)?.Type is VectorDataViewType { ItemType: TextDataViewType })
            {
                VBuffer<ReadOnlyMemory<char>> values = default;
                features.Annotations.GetValue(ColumnChecks.KeyValues, ref values);
                int i = 0;
                foreach (var value in values.DenseValues())
                {
                    if (i < keyCount)
                        names[i++] = value.ToString();
                }
            }
            return names;
        }
    }
}
