using Microsoft.ML.Runtime;
using MLNetExt.Estimators.Sequence;
using MLNetExt.Transforms.Sequence;
using MLNetExt.Trainers.Sequence;
using MLNetExt.Core;
using MLNetExt.Core.Losses;
using Microsoft.ML;
using Microsoft.ML.Data;
using MLNetExt.Trainers.DeepLearning;
using MLNetExt.Transforms.DeepLearning;
using MLNetExt.Estimators.DeepLearning;
using MLNetExt.Transforms;

namespace MLNetExt.Estimators.Sequence;

/// <summary>
/// What the sequence trainers share: reading variable-length sequences and labels into memory (rejecting bad values
/// with the column and row named), standardizing float input, building the embedding + LSTM/GRU network, running
/// the <see cref="DeepTrainingLoop"/>, and producing a <see cref="SequencePredictionTransformer"/>.
/// </summary>
public abstract class SequenceTrainerBase : IEstimator<SequencePredictionTransformer>
{
    private readonly IHostEnvironment _context;
    private readonly SequenceTrainerOptions _options;
    private readonly int _horizon;

    private protected SequenceTrainerBase(IHostEnvironment context, SequenceTrainerOptions options, SequenceTask task, SequenceCellType cell, int horizon = 1)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(options);
        if (!Enum.IsDefined(cell))
            throw new ArgumentOutOfRangeException(nameof(cell), cell, "Expected Lstm or Gru.");
        options.Validate();
        _context = context;
        _options = options.Copy();
        Task = task;
        Cell = cell;
        _horizon = horizon;
    }

    /// <summary>What the trained model predicts.</summary>
    public SequenceTask Task { get; }

    /// <summary>The recurrent cell.</summary>
    public SequenceCellType Cell { get; }

    /// <summary>Trains the network on <paramref name="input"/>. The input is not changed.</summary>
    /// <param name="input">The training data, with the label and features columns.</param>
    /// <exception cref="ArgumentOutOfRangeException">A column is missing or has the wrong type.</exception>
    /// <exception cref="ArgumentException">An embedding initializer does not fit the vocabulary.</exception>
    /// <exception cref="InvalidOperationException">A value is bad (the message names the column and row), or training diverged.</exception>
    /// <exception cref="TrainingCanceledException">The options' cancellation token was cancelled; the exception carries the best model so far.</exception>
    public SequencePredictionTransformer Fit(IDataView input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var (features, label) = FindColumns(input.Schema, nameof(input));
        var (inputKind, keyCount) = SequenceFeatureReader.KindOf(features.Type)!.Value;
        var architecture = new SequenceArchitecture
        {
            Task = Task,
            Cell = Cell,
            InputKind = inputKind,
            VocabularySize = keyCount + 1,
            EmbeddingDimension = _options.EmbeddingDimension,
            StepSize = inputKind == SequenceInputKind.Floats ? _options.StepSize : 1,
            HiddenSize = _options.HiddenSize,
            NumberOfLayers = _options.NumberOfLayers,
            Bidirectional = _options.Bidirectional,
            Dropout = _options.Dropout,
            Pooling = _options.Pooling,
            OutputCount = Task switch
            {
                SequenceTask.BinaryClassification => 1,
                SequenceTask.Forecasting => _horizon,
                _ => ClassCount(label),
            },
        };
        var rows = ReadRows(input, features, label, architecture);
        var settings = new SequencePredictionTransformer.SavedOptions
        {
            FeatureColumnName = features.Name,
            LabelColumnName = label.Name,
            FeatureVectorSize = ((VectorDataViewType)features.Type).Size,
            Architecture = architecture,
        };
        Standardize(rows, settings);
        var random = new RandomSource(_options.Seed is { } seed ? (ulong)(uint)seed : (ulong)(uint)MLNetInternals.NextSeed(_context));
        var network = new SequenceNetwork(architecture, random);
        InitializeEmbedding(network, features, keyCount);
        var (data, loss, metric) = Pack(rows, architecture);
        var result = new DeepTrainingLoop(_options, random.Fork()).Run(network, loss, data, metric);
        LabelKeyValues? keyValues = null;
        if (Task is SequenceTask.MulticlassClassification or SequenceTask.Tagging
            && LabelKeyValues.From(label) is { } values && values.Count == architecture.OutputCount)
        {
            keyValues = values;
            settings.LabelKeyValuesType = values.ItemTypeName;
        }
        var model = new SequencePredictionTransformer(network, settings, keyValues, result);
        if (result.StopReason == TrainingStopReason.Canceled)
            throw new TrainingCanceledException(model, result, _options.CancellationToken);
        return model;
    }

    /// <summary>The input shape plus the task's output columns (see <see cref="SequencePredictionTransformer"/>).</summary>
    /// <param name="inputSchema">The input's shape; it needs the label and features columns.</param>
    public SchemaShape GetOutputSchema(SchemaShape inputSchema)
    {
        ArgumentNullException.ThrowIfNull(inputSchema);
        const SchemaShape.Column.VectorKind Scalar = SchemaShape.Column.VectorKind.Scalar;
        const SchemaShape.Column.VectorKind Vector = SchemaShape.Column.VectorKind.Vector;
        const SchemaShape.Column.VectorKind Variable = SchemaShape.Column.VectorKind.VariableVector;
        var features = ColumnChecks.Find(inputSchema, _options.FeatureColumnName);
        bool featuresOk = features.Kind != Scalar && (features.IsKey || features.ItemType == NumberDataViewType.Single);
        if (!featuresOk)
            throw ColumnChecks.WrongType(features, SequenceFeatureReader.ExpectedType);
        var label = ColumnChecks.Find(inputSchema, _options.LabelColumnName);
        bool labelOk = Task switch
        {
            SequenceTask.BinaryClassification => label.Kind == Scalar && !label.IsKey
                && (label.ItemType is BooleanDataViewType || label.ItemType == NumberDataViewType.Single),
            SequenceTask.MulticlassClassification => label.Kind == Scalar && label.IsKey,
            SequenceTask.Tagging => label.Kind != Scalar && label.IsKey,
            _ => !label.IsKey && label.ItemType == NumberDataViewType.Single && (_horizon == 1 ? label.Kind != Variable : label.Kind == Vector),
        };
        if (!labelOk)
            throw ColumnChecks.WrongType(label, ExpectedLabel);
        var keyValues = new SchemaShape(label.Annotations.Where(a => a.Name == ColumnChecks.KeyValues));
        SchemaShape.Column[] added = Task switch
        {
            SequenceTask.BinaryClassification =>
            [
                ColumnChecks.Shape("PredictedLabel", Scalar, BooleanDataViewType.Instance, false),
                ColumnChecks.Shape("Score", Scalar, NumberDataViewType.Single, false),
                ColumnChecks.Shape("Probability", Scalar, NumberDataViewType.Single, false),
            ],
            SequenceTask.MulticlassClassification =>
            [
                ColumnChecks.Shape("PredictedLabel", Scalar, NumberDataViewType.UInt32, true, keyValues),
                ColumnChecks.Shape("Score", Vector, NumberDataViewType.Single, false),
            ],
            SequenceTask.Tagging =>
            [
                ColumnChecks.Shape("Score", Variable, NumberDataViewType.Single, false),
                ColumnChecks.Shape("PredictedLabel", Variable, NumberDataViewType.UInt32, true, keyValues),
            ],
            _ => [ColumnChecks.Shape("Score", _horizon == 1 ? Scalar : Vector, NumberDataViewType.Single, false)],
        };
        return new SchemaShape(inputSchema.Concat(added));
    }

    private string ExpectedLabel => Task switch
    {
        SequenceTask.BinaryClassification => "Boolean or Single (0 or 1)",
        SequenceTask.MulticlassClassification => "Key (e.g. from MapValueToKey)",
        SequenceTask.Tagging => "Vector<Key> (one tag per token)",
        _ => _horizon == 1 ? "Single" : $"Vector<Single, {_horizon}>",
    };

    private (DataViewSchema.Column Features, DataViewSchema.Column Label) FindColumns(DataViewSchema schema, string paramName)
    {
        var features = ColumnChecks.Find(schema, _options.FeatureColumnName, paramName);
        if (SequenceFeatureReader.KindOf(features.Type) is null)
            throw ColumnChecks.WrongType(features.Name, SequenceFeatureReader.ExpectedType, features.Type, paramName);
        var label = ColumnChecks.Find(schema, _options.LabelColumnName, paramName);
        bool labelOk = Task switch
        {
            SequenceTask.BinaryClassification => label.Type is BooleanDataViewType || label.Type == NumberDataViewType.Single,
            SequenceTask.MulticlassClassification => label.Type is KeyDataViewType,
            SequenceTask.Tagging => label.Type is VectorDataViewType { ItemType: KeyDataViewType },
            _ => _horizon == 1
                ? label.Type == NumberDataViewType.Single || label.Type is VectorDataViewType { ItemType: NumberDataViewType, Size: 1 } v1 && v1.ItemType == NumberDataViewType.Single
                : label.Type is VectorDataViewType { Size: var size } vector && size == _horizon && vector.ItemType == NumberDataViewType.Single,
        };
        if (!labelOk)
            throw ColumnChecks.WrongType(label.Name, ExpectedLabel, label.Type, paramName);
        return (features, label);
    }

    private int ClassCount(DataViewSchema.Column label)
    {
        var key = (KeyDataViewType)(label.Type is VectorDataViewType vector ? vector.ItemType : label.Type);
        if (key.Count < 2 || key.Count > int.MaxValue)
            throw new ArgumentOutOfRangeException("input",
                $"Label column '{label.Name}' has type {label.Type}; a {Task} trainer needs a key type with 2 or more classes.");
        return (int)key.Count;
    }

    /// <summary>Every row's steps (W floats each), its length, and its targets.</summary>
    private sealed class SequenceRows
    {
        public List<float[]> Steps { get; } = [];

        public List<float> Targets { get; } = [];

        public List<int> Classes { get; } = [];

        public List<int[]> TokenClasses { get; } = [];
    }

    private SequenceRows ReadRows(IDataView input, DataViewSchema.Column features, DataViewSchema.Column label, SequenceArchitecture architecture)
    {
        var rows = new SequenceRows();
        using var cursor = input.GetRowCursor([features, label]);
        var reader = new SequenceFeatureReader(cursor, features, architecture);
        var readLabel = LabelReader(cursor, label, architecture.OutputCount);
        var steps = new List<float>();
        while (cursor.MoveNext())
        {
            steps.Clear();
            int length = reader.Read(cursor, steps);
            if (length == 0)
                throw ColumnChecks.BadValue(features.Name, cursor, architecture.InputKind == SequenceInputKind.Keys
                    ? "the sequence has no known token; every training row needs at least one step"
                    : "the vector is empty; every training row needs at least one step");
            for (int i = 0; i < steps.Count; i++)
            {
                if (!float.IsFinite(steps[i]))
                    throw ColumnChecks.BadValue(features.Name, cursor, $"slot {i} is {steps[i]}; every value must be a finite number");
            }
            rows.Steps.Add([.. steps]);
            readLabel(rows, length);
        }
        if (rows.Steps.Count == 0)
            throw new InvalidOperationException("The training data has no rows.");
        return rows;
    }

    /// <summary>A reader that appends the current row's label to the rows' targets; it gets the row's step count.</summary>
    private Action<SequenceRows, int> LabelReader(DataViewRowCursor cursor, DataViewSchema.Column label, int classCount)
    {
        switch (Task)
        {
            case SequenceTask.BinaryClassification when label.Type is BooleanDataViewType:
                {
                    var getter = cursor.GetGetter<bool>(label);
                    bool flag = false;
                    return (rows, _) =>
                    {
                        getter(ref flag);
                        rows.Targets.Add(flag ? 1f : 0f);
                    };
                }
            case SequenceTask.BinaryClassification:
                {
                    var getter = cursor.GetGetter<float>(label);
                    float value = 0;
                    return (rows, _) =>
                    {
                        getter(ref value);
                        if (value is not (0f or 1f))
                            throw ColumnChecks.BadValue(label.Name, cursor, $"the label is {value}; a binary label must be 0 or 1 (or Boolean)");
                        rows.Targets.Add(value);
                    };
                }
            case SequenceTask.MulticlassClassification:
                {
                    var getter = cursor.GetGetter<uint>(label);
                    uint key = 0;
                    return (rows, _) =>
                    {
                        getter(ref key);
                        if (key == 0 || key > classCount)
                            throw ColumnChecks.BadValue(label.Name, cursor, $"the label is key {key}; expected a class key in 1..{classCount} (0 is the missing key)");
                        rows.Classes.Add((int)key - 1);
                    };
                }
            case SequenceTask.Tagging:
                {
                    var getter = cursor.GetGetter<VBuffer<uint>>(label);
                    VBuffer<uint> tags = default;
                    return (rows, length) =>
                    {
                        getter(ref tags);
                        var keys = tags.GetValues();
                        if (keys.Length != length)
                            throw ColumnChecks.BadValue(label.Name, cursor, $"there are {keys.Length} tags for {length} tokens; expected one tag per token");
                        var classes = new int[length];
                        for (int t = 0; t < length; t++)
                        {
                            if (keys[t] > classCount)
                                throw ColumnChecks.BadValue(label.Name, cursor, $"tag {t} is key {keys[t]}, above the tag count {classCount}");
                            classes[t] = keys[t] == 0 ? DeepTrainingData.IgnoredClass : (int)keys[t] - 1;
                        }
                        rows.TokenClasses.Add(classes);
                    };
                }
            default:
                {
                    bool scalar = label.Type is not VectorDataViewType;
                    var scalarGetter = scalar ? cursor.GetGetter<float>(label) : null;
                    var vectorGetter = scalar ? null : cursor.GetGetter<VBuffer<float>>(label);
                    float value = 0;
                    VBuffer<float> vector = default;
                    return (rows, _) =>
                    {
                        if (scalarGetter is not null)
                        {
                            scalarGetter(ref value);
                            AddTarget(rows, value);
                            return;
                        }
                        vectorGetter!(ref vector);
                        foreach (float target in vector.GetValues())
                            AddTarget(rows, target);
                    };

                    void AddTarget(SequenceRows rows, float target)
                    {
                        if (!float.IsFinite(target))
                            throw ColumnChecks.BadValue(label.Name, cursor, $"a target is {target}; expected finite numbers");
                        rows.Targets.Add(target);
                    }
                }
        }
    }

    /// <summary>Standardizes float steps per channel, and forecast targets, in place; records the statistics.</summary>
    private static void Standardize(SequenceRows rows, SequencePredictionTransformer.SavedOptions settings)
    {
        var architecture = settings.Architecture;
        if (architecture.InputKind == SequenceInputKind.Floats)
        {
            int channels = architecture.StepSize;
            var sums = new double[channels];
            var squares = new double[channels];
            long count = 0;
            foreach (var steps in rows.Steps)
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
            foreach (var steps in rows.Steps)
            {
                for (int i = 0; i < steps.Length; i++)
                    steps[i] = (steps[i] - settings.InputMeans[i % channels]) / settings.InputScales[i % channels];
            }
        }
        if (architecture.Task == SequenceTask.Forecasting)
        {
            double mean = rows.Targets.Average(t => (double)t);
            double variance = rows.Targets.Average(t => (t - mean) * (t - mean));
            settings.TargetMean = (float)mean;
            settings.TargetScale = variance > 1e-12 ? (float)Math.Sqrt(variance) : 1f;
            for (int i = 0; i < rows.Targets.Count; i++)
                rows.Targets[i] = (rows.Targets[i] - settings.TargetMean) / settings.TargetScale;
        }
    }

    /// <summary>Copies <see cref="SequenceTrainerOptions.InitialEmbeddings"/> and the provider's vectors into the table, and freezes it when asked.</summary>
    private void InitializeEmbedding(SequenceNetwork network, DataViewSchema.Column features, int keyCount)
    {
        if (network.Embedding is not { } embedding)
            return;
        int dim = embedding.EmbeddingDim;
        var weight = embedding.Weight.Span;
        if (_options.InitialEmbeddings is { } matrix)
        {
            if (matrix.GetLength(0) != keyCount)
                throw new ArgumentException($"Option {nameof(SequenceTrainerOptions.InitialEmbeddings)} has {matrix.GetLength(0)} rows, but column '{features.Name}' has {keyCount} keys; expected one row per key.", nameof(SequenceTrainerOptions.InitialEmbeddings));
            for (int key = 1; key <= keyCount; key++)
                for (int j = 0; j < dim; j++)
                    weight[key * dim + j] = matrix[key - 1, j];
        }
        if (_options.EmbeddingProvider is { } provider)
        {
            var names = KeyNames(features, keyCount);
            for (int key = 1; key <= keyCount; key++)
            {
                if (provider(names[key - 1]) is not { } vector)
                    continue;
                if (vector.Length != dim || vector.Any(v => !float.IsFinite(v)))
                    throw new ArgumentException($"Option {nameof(SequenceTrainerOptions.EmbeddingProvider)} gave token '{names[key - 1]}' a vector of {vector.Length} values; expected {dim} finite values.", nameof(SequenceTrainerOptions.EmbeddingProvider));
                vector.CopyTo(weight.Slice(key * dim, dim));
            }
        }
        if (_options.FreezeEmbeddings)
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

    /// <summary>Packs the rows as [N, 1 + T·W] (length first, then the steps, zero-padded) with the task's targets, loss and metric.</summary>
    private (DeepTrainingData Data, Loss Loss, TrainingMetric Metric) Pack(SequenceRows rows, SequenceArchitecture architecture)
    {
        int width = architecture.PackedStepWidth;
        int steps = rows.Steps.Max(s => s.Length) / width, rowWidth = 1 + steps * width, count = rows.Steps.Count;
        var inputs = new float[checked(count * rowWidth)];
        for (int r = 0; r < count; r++)
        {
            var row = rows.Steps[r];
            inputs[r * rowWidth] = row.Length / width;
            row.CopyTo(inputs.AsSpan(r * rowWidth + 1));
        }
        int[] rowShape = [rowWidth];
        switch (Task)
        {
            case SequenceTask.BinaryClassification:
                return (DeepTrainingData.ForTargets(inputs, rowShape, [.. rows.Targets], [1]), new BCEWithLogitsLoss(), TrainingMetric.BinaryAccuracy);
            case SequenceTask.MulticlassClassification:
                return (DeepTrainingData.ForClasses(inputs, rowShape, [.. rows.Classes], architecture.OutputCount), new CrossEntropyLoss(), TrainingMetric.Accuracy);
            case SequenceTask.Tagging:
                {
                    var classes = new int[count * steps];
                    classes.AsSpan().Fill(DeepTrainingData.IgnoredClass);
                    for (int r = 0; r < count; r++)
                        rows.TokenClasses[r].CopyTo(classes.AsSpan(r * steps));
                    return (DeepTrainingData.ForTokenClasses(inputs, rowShape, classes, steps, architecture.OutputCount),
                        new CrossEntropyLoss(ignoreIndex: DeepTrainingData.IgnoredClass), TrainingMetric.Accuracy);
                }
            default:
                return (DeepTrainingData.ForTargets(inputs, rowShape, [.. rows.Targets], [architecture.OutputCount]), new MSELoss(), TrainingMetric.RootMeanSquaredError);
        }
    }
}
