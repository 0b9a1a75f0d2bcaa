using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Runtime;
using MLNetExt.Core;
using MLNetExt.Core.Modules;
using MLNetExt.Estimators.DeepLearning;
using MLNetExt.Trainers.DeepLearning;
using MLNetExt.Trainers.Mlp;
using MLNetExt.Transforms;
using MLNetExt.Transforms.DeepLearning;
using MLNetExt.Transforms.Mlp;

namespace MLNetExt.Estimators.Mlp;

/// <summary>
/// What the three multi-layer perceptron trainers add to <see cref="DeepTrainerBase{TTransformer, TOptions}"/>: a features
/// reader over a known-size Vector&lt;Single, F&gt; (input rows [N, F]), the <see cref="MlpNetwork"/>, and an
/// <see cref="MlpPredictionTransformer"/>.
/// </summary>
public abstract class MlpTrainerBase : DeepTrainerBase<MlpPredictionTransformer, MlpTrainerOptions>
{
    private protected MlpTrainerBase(IHostEnvironment context, MlpTrainerOptions options, MlpTask task)
        : base(context, Prepare(options), PredictionTask.Of(task))
    {
        Task = task;
    }

    /// <summary>What the trained model predicts.</summary>
    public MlpTask Task { get; }

    private protected override string LabelColumnName => TrainerOptions.LabelColumnName;

    private protected override string FeatureColumnName => TrainerOptions.FeatureColumnName;

    private protected override string ExpectedFeatures => "known-size Vector<Single>";

    private protected override bool AcceptsFeatures(DataViewType type) =>
        type is VectorDataViewType { IsKnownSize: true } vector && vector.ItemType == NumberDataViewType.Single;

    private protected override bool AcceptsFeatures(SchemaShape.Column features) =>
        features.Kind == SchemaShape.Column.VectorKind.Vector && !features.IsKey && features.ItemType == NumberDataViewType.Single;

    private protected override ComponentFit StartFit(DataViewSchema.Column features, DataViewSchema.Column label, int outputCount) =>
        new MlpFit(this, features, label, outputCount);

    // Checked and copied once, so that later changes to the caller's options do not reach the trainer.
    private static MlpTrainerOptions Prepare(MlpTrainerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        return options.Copy();
    }

    private sealed class MlpFit(MlpTrainerBase trainer, DataViewSchema.Column features, DataViewSchema.Column label, int outputCount) : ComponentFit
    {
        private readonly int _featureCount = ((VectorDataViewType)features.Type).Size;
        private Sequential? _network;

        public override Func<List<float>, int> CreateFeatureReader(DataViewRowCursor cursor)
        {
            var getter = cursor.GetGetter<VBuffer<float>>(features);
            VBuffer<float> buffer = default;
            return values =>
            {
                getter(ref buffer);
                var row = buffer.GetValues();
                if (row.Length != _featureCount)
                    throw ColumnChecks.BadValue(features.Name, cursor, $"the vector has {row.Length} values, expected {_featureCount}");
                foreach (float value in row)
                    values.Add(value);
                return 1;
            };
        }

        public override PackedInputs PackInputs(IReadOnlyList<float[]> rows, TrainingLabels labels)
        {
            var inputs = new float[checked(rows.Count * _featureCount)];  // [N, F]
            for (int r = 0; r < rows.Count; r++)
                rows[r].CopyTo(inputs, r * _featureCount);
            return new PackedInputs(inputs, [_featureCount], 1);
        }

        public override Module BuildNetwork(RandomSource random)
        {
            var options = trainer.TrainerOptions;
            return _network = MlpNetwork.Build(_featureCount, options.HiddenLayers, outputCount, options.Activation, options.DropoutRate, options.UseBatchNorm, random);
        }

        public override MlpPredictionTransformer CreateTransformer(LabelKeyValues? keyValues, DeepTrainingResult result)
        {
            var options = trainer.TrainerOptions;
            var settings = new MlpPredictionTransformer.SavedOptions
            {
                Task = trainer.Task,
                FeatureColumnName = features.Name,
                LabelColumnName = label.Name,
                FeatureCount = _featureCount,
                OutputCount = outputCount,
                HiddenLayers = [.. options.HiddenLayers],
                Activation = options.Activation,
                DropoutRate = options.DropoutRate,
                UseBatchNorm = options.UseBatchNorm,
                LabelKeyValuesType = keyValues?.ItemTypeName,
            };
            return new MlpPredictionTransformer(_network ?? throw new InvalidOperationException("The network is built before training."), settings, keyValues, result);
        }
    }
}
