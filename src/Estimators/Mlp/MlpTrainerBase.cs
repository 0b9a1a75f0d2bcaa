using Microsoft.ML.Runtime;
using MLNetExt.Estimators.Mlp;
using MLNetExt.Transforms.Mlp;
using MLNetExt.Trainers.Mlp;
using MLNetExt.Core;
using MLNetExt.Core.Losses;
using Microsoft.ML;
using Microsoft.ML.Data;
using MLNetExt.Trainers.DeepLearning;
using MLNetExt.Transforms.DeepLearning;
using MLNetExt.Estimators.DeepLearning;
using MLNetExt.Transforms;

namespace MLNetExt.Estimators.Mlp;

/// <summary>
/// What the three multi-layer perceptron trainers share: reading the features and labels into memory (rejecting
/// NaN features and out-of-range labels with the column and row named), building the network, running the
/// <see cref="DeepTrainingLoop"/>, and producing an <see cref="MlpPredictionTransformer"/>.
/// </summary>
public abstract class MlpTrainerBase : IEstimator<MlpPredictionTransformer>
{
    private readonly IHostEnvironment _context;
    private readonly MlpTrainerOptions _options;

    private protected MlpTrainerBase(IHostEnvironment context, MlpTrainerOptions options, MlpTask task)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _context = context;
        _options = options.Copy();
        Task = task;
    }

    /// <summary>What the trained model predicts.</summary>
    public MlpTask Task { get; }

    /// <summary>
    /// Trains the network on <paramref name="input"/>. The input is not changed.
    /// </summary>
    /// <param name="input">The training data, with the label and features columns.</param>
    /// <exception cref="ArgumentOutOfRangeException">A column is missing or has the wrong type.</exception>
    /// <exception cref="InvalidOperationException">A feature is NaN or infinite, or a label is missing or out of range (the message names the column and row); or training diverged.</exception>
    /// <exception cref="TrainingCanceledException">The options' cancellation token was cancelled; the exception carries the best model so far.</exception>
    public MlpPredictionTransformer Fit(IDataView input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var (features, label) = FindColumns(input.Schema, nameof(input));
        int featureCount = ((VectorDataViewType)features.Type).Size;
        int outputs = Task == MlpTask.MulticlassClassification ? ClassCount(label.Type) : 1;
        var (inputs, classes, targets) = ReadRows(input, features, label, featureCount, outputs);
        var data = Task == MlpTask.MulticlassClassification
            ? DeepTrainingData.ForClasses(inputs, [featureCount], classes!, outputs)
            : DeepTrainingData.ForTargets(inputs, [featureCount], targets!, [1]);
        var random = new RandomSource(_options.Seed is { } seed ? (ulong)(uint)seed : (ulong)(uint)MLNetInternals.NextSeed(_context));
        var network = MlpNetwork.Build(featureCount, _options.HiddenLayers, outputs, _options.Activation, _options.DropoutRate, _options.UseBatchNorm, random);
        Loss loss = Task switch
        {
            MlpTask.BinaryClassification => new BCEWithLogitsLoss(),
            MlpTask.MulticlassClassification => new CrossEntropyLoss(),
            _ => new MSELoss(),
        };
        var metric = Task switch
        {
            MlpTask.BinaryClassification => TrainingMetric.BinaryAccuracy,
            MlpTask.MulticlassClassification => TrainingMetric.Accuracy,
            _ => TrainingMetric.RootMeanSquaredError,
        };
        var result = new DeepTrainingLoop(_options, random.Fork()).Run(network, loss, data, metric);
        var settings = new MlpPredictionTransformer.SavedOptions
        {
            Task = Task,
            FeatureColumnName = features.Name,
            LabelColumnName = label.Name,
            FeatureCount = featureCount,
            OutputCount = outputs,
            HiddenLayers = [.. _options.HiddenLayers],
            Activation = _options.Activation,
            DropoutRate = _options.DropoutRate,
            UseBatchNorm = _options.UseBatchNorm,
        };
        LabelKeyValues? keyValues = null;
        if (Task == MlpTask.MulticlassClassification && LabelKeyValues.From(label) is { } values && values.Count == outputs)
        {
            keyValues = values;
            settings.LabelKeyValuesType = values.ItemTypeName;
        }
        var model = new MlpPredictionTransformer(network, settings, keyValues, result);
        if (result.StopReason == TrainingStopReason.Canceled)
            throw new TrainingCanceledException(model, result, _options.CancellationToken);
        return model;
    }

    /// <summary>
    /// The input shape plus the output columns: Score, Probability and PredictedLabel (binary), Score and
    /// PredictedLabel (multiclass), or Score (regression).
    /// </summary>
    /// <param name="inputSchema">The input's shape; it needs the label and features columns.</param>
    public SchemaShape GetOutputSchema(SchemaShape inputSchema)
    {
        ArgumentNullException.ThrowIfNull(inputSchema);
        var features = ColumnChecks.Find(inputSchema, _options.FeatureColumnName);
        if (features.Kind != SchemaShape.Column.VectorKind.Vector || features.IsKey || features.ItemType != NumberDataViewType.Single)
            throw ColumnChecks.WrongType(features, "known-size Vector<Single>");
        var label = ColumnChecks.Find(inputSchema, _options.LabelColumnName);
        bool labelOk = Task switch
        {
            MlpTask.BinaryClassification => label.Kind == SchemaShape.Column.VectorKind.Scalar && !label.IsKey
                && (label.ItemType is BooleanDataViewType || label.ItemType == NumberDataViewType.Single),
            MlpTask.MulticlassClassification => label.Kind == SchemaShape.Column.VectorKind.Scalar && label.IsKey,
            _ => label.Kind == SchemaShape.Column.VectorKind.Scalar && !label.IsKey && label.ItemType == NumberDataViewType.Single,
        };
        if (!labelOk)
            throw ColumnChecks.WrongType(label, ExpectedLabel);
        const SchemaShape.Column.VectorKind Scalar = SchemaShape.Column.VectorKind.Scalar;
        SchemaShape.Column[] added = Task switch
        {
            MlpTask.BinaryClassification =>
            [
                ColumnChecks.Shape("PredictedLabel", Scalar, BooleanDataViewType.Instance, false),
                ColumnChecks.Shape("Score", Scalar, NumberDataViewType.Single, false),
                ColumnChecks.Shape("Probability", Scalar, NumberDataViewType.Single, false),
            ],
            MlpTask.MulticlassClassification =>
            [
                ColumnChecks.Shape("PredictedLabel", Scalar, NumberDataViewType.UInt32, true,
                    new SchemaShape(label.Annotations.Where(a => a.Name == ColumnChecks.KeyValues))),
                ColumnChecks.Shape("Score", SchemaShape.Column.VectorKind.Vector, NumberDataViewType.Single, false),
            ],
            _ => [ColumnChecks.Shape("Score", Scalar, NumberDataViewType.Single, false)],
        };
        return new SchemaShape(inputSchema.Concat(added));
    }

    private string ExpectedLabel => Task switch
    {
        MlpTask.BinaryClassification => "Boolean or Single (0 or 1)",
        MlpTask.MulticlassClassification => "Key (e.g. from MapValueToKey)",
        _ => "Single",
    };

    private (DataViewSchema.Column Features, DataViewSchema.Column Label) FindColumns(DataViewSchema schema, string paramName)
    {
        var features = ColumnChecks.Find(schema, _options.FeatureColumnName, paramName);
        if (features.Type is not VectorDataViewType { IsKnownSize: true } vector || vector.ItemType != NumberDataViewType.Single)
            throw ColumnChecks.WrongType(features.Name, "known-size Vector<Single>", features.Type, paramName);
        var label = ColumnChecks.Find(schema, _options.LabelColumnName, paramName);
        bool labelOk = Task switch
        {
            MlpTask.BinaryClassification => label.Type is BooleanDataViewType || label.Type == NumberDataViewType.Single,
            MlpTask.MulticlassClassification => label.Type is KeyDataViewType,
            _ => label.Type == NumberDataViewType.Single,
        };
        if (!labelOk)
            throw ColumnChecks.WrongType(label.Name, ExpectedLabel, label.Type, paramName);
        return (features, label);
    }

    private int ClassCount(DataViewType labelType)
    {
        var key = (KeyDataViewType)labelType;
        if (key.Count < 2 || key.Count > int.MaxValue)
            throw new ArgumentOutOfRangeException("input",
                $"Label column '{_options.LabelColumnName}' has type {key}; a multiclass trainer needs a key type with 2 or more classes.");
        return (int)key.Count;
    }

    /// <summary>Reads every row's features and label, checking each value.</summary>
    private (float[] Inputs, int[]? Classes, float[]? Targets) ReadRows(IDataView input, DataViewSchema.Column features,
        DataViewSchema.Column label, int featureCount, int classCount)
    {
        var inputs = new List<float>();
        var classes = new List<int>();
        var targets = new List<float>();
        using var cursor = input.GetRowCursor([features, label]);
        var featuresGetter = cursor.GetGetter<VBuffer<float>>(features);
        var readLabel = LabelReader(cursor, label, classCount);
        VBuffer<float> buffer = default;
        while (cursor.MoveNext())
        {
            featuresGetter(ref buffer);
            var values = buffer.GetValues();
            if (values.Length != featureCount)
                throw ColumnChecks.BadValue(features.Name, cursor, $"the vector has {values.Length} values, expected {featureCount}");
            for (int i = 0; i < values.Length; i++)
            {
                if (!float.IsFinite(values[i]))
                    throw ColumnChecks.BadValue(features.Name, cursor, $"slot {i} is {values[i]}; every feature must be a finite number (fill or drop missing values first)");
            }
            foreach (float value in values)
                inputs.Add(value);
            float target = readLabel();
            if (Task == MlpTask.MulticlassClassification)
                classes.Add((int)target);
            else
                targets.Add(target);
        }
        if (classes.Count + targets.Count == 0)
            throw new InvalidOperationException("The training data has no rows.");
        return Task == MlpTask.MulticlassClassification ? ([.. inputs], [.. classes], null) : ([.. inputs], null, [.. targets]);
    }

    /// <summary>A reader of the current row's label: the class index (multiclass), 0 or 1 (binary), or the value (regression).</summary>
    private Func<float> LabelReader(DataViewRowCursor cursor, DataViewSchema.Column label, int classCount)
    {
        if (label.Type is BooleanDataViewType)
        {
            var getter = cursor.GetGetter<bool>(label);
            bool flag = false;
            return () =>
            {
                getter(ref flag);
                return flag ? 1f : 0f;
            };
        }
        if (label.Type is KeyDataViewType)
        {
            var getter = cursor.GetGetter<uint>(label);
            uint key = 0;
            return () =>
            {
                getter(ref key);
                if (key == 0 || key > classCount)
                    throw ColumnChecks.BadValue(label.Name, cursor, $"the label is key {key}; expected a class key in 1..{classCount} (0 is the missing key)");
                return key - 1;
            };
        }
        var singleGetter = cursor.GetGetter<float>(label);
        float value = 0;
        bool binary = Task == MlpTask.BinaryClassification;
        return () =>
        {
            singleGetter(ref value);
            if (binary && value is not (0f or 1f))
                throw ColumnChecks.BadValue(label.Name, cursor, $"the label is {value}; a binary label must be 0 or 1 (or Boolean)");
            if (!float.IsFinite(value))
                throw ColumnChecks.BadValue(label.Name, cursor, $"the label is {value}; expected a finite number");
            return value;
        };
    }
}
