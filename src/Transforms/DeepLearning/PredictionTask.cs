using Microsoft.ML;
using Microsoft.ML.Data;
using MLNetExt.Core.Losses;
using MLNetExt.Trainers.DeepLearning;
using MLNetExt.Trainers.Mlp;
using MLNetExt.Trainers.Sequence;
using TensorPrimitives = System.Numerics.Tensors.TensorPrimitives;
using RowScorer = MLNetExt.Transforms.DeepLearning.DeepPredictionTransformer.RowScorer;

namespace MLNetExt.Transforms.DeepLearning;

/// <summary>
/// What a deep model predicts, as one object that owns everything the task decides, so that a network component
/// supplies only its network and its feature reader: the label's type (checked on a <see cref="DataViewSchema"/> and
/// on a <see cref="SchemaShape"/>, with ML.NET's errors naming the column), the number of outputs the label asks for,
/// reading one row's label into training targets (bad values named by column and row), the loss and the validation
/// metric, the output columns (promised by <c>GetOutputSchema</c> and bound by the transformer, in the order of
/// ML.NET's scorer for the task) and the ML.NET scorer a saved model ends with.
/// </summary>
/// <remarks>
/// The saved form names a task by <see cref="MlpTask"/> or <see cref="SequenceTask"/>; <see cref="Of(MlpTask)"/> and
/// <see cref="Of(SequenceTask, int)"/> turn the saved value back into the task.
/// </remarks>
internal abstract class PredictionTask
{
    private const SchemaShape.Column.VectorKind Scalar = SchemaShape.Column.VectorKind.Scalar;
    private const SchemaShape.Column.VectorKind Vector = SchemaShape.Column.VectorKind.Vector;
    private const SchemaShape.Column.VectorKind VariableVector = SchemaShape.Column.VectorKind.VariableVector;

    /// <summary>Boolean label (or Single 0/1); one logit; PredictedLabel (Boolean), Score (the logit), Probability.</summary>
    public static PredictionTask BinaryClassification { get; } = new BinaryClassificationTask();

    /// <summary>Key label of C ≥ 2 classes; C logits; PredictedLabel (the key), Score (C probabilities).</summary>
    public static PredictionTask MulticlassClassification { get; } = new MulticlassClassificationTask();

    /// <summary>Vector-of-keys label, one tag per token; C logits per token; Score (ℓ·C probabilities), PredictedLabel (ℓ keys).</summary>
    public static PredictionTask Tagging { get; } = new TaggingTask();

    private static readonly PredictionTask SingleValueRegression = new RegressionTask(1);

    /// <summary>
    /// Regression of <paramref name="horizon"/> values: a Single label and Score for a horizon of 1, otherwise
    /// Vector&lt;Single, Horizon&gt; for both.
    /// </summary>
    /// <param name="horizon">The values predicted per row; at least 1.</param>
    public static PredictionTask Regression(int horizon = 1)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(horizon, 1);
        return horizon == 1 ? SingleValueRegression : new RegressionTask(horizon);
    }

    /// <summary>The task a multi-layer perceptron saved as <paramref name="task"/> predicts.</summary>
    public static PredictionTask Of(MlpTask task) => task switch
    {
        MlpTask.BinaryClassification => BinaryClassification,
        MlpTask.MulticlassClassification => MulticlassClassification,
        MlpTask.Regression => Regression(),
        _ => throw new ArgumentOutOfRangeException(nameof(task), task, "Expected BinaryClassification, MulticlassClassification or Regression."),
    };

    /// <summary>The task a sequence model saved as <paramref name="task"/> with <paramref name="outputCount"/> outputs (the horizon when forecasting) predicts.</summary>
    public static PredictionTask Of(SequenceTask task, int outputCount) => task switch
    {
        SequenceTask.BinaryClassification => BinaryClassification,
        SequenceTask.MulticlassClassification => MulticlassClassification,
        SequenceTask.Forecasting => Regression(outputCount),
        SequenceTask.Tagging => Tagging,
        _ => throw new ArgumentOutOfRangeException(nameof(task), task, "Expected BinaryClassification, MulticlassClassification, Forecasting or Tagging."),
    };

    /// <summary>The task's name in error messages.</summary>
    public abstract string Name { get; }

    /// <summary>The label type the task trains on, as error messages word it.</summary>
    public abstract string ExpectedLabel { get; }

    /// <summary>The loss the network trains with.</summary>
    public abstract Loss CreateLoss();

    /// <summary>The metric the training loop reports on the validation rows.</summary>
    public abstract TrainingMetric Metric { get; }

    /// <summary>Which of ML.NET's scorers ends a saved model of this task.</summary>
    public abstract PredictionScorerKind ScorerKind { get; }

    /// <summary>
    /// The label column <paramref name="name"/> of <paramref name="schema"/>, checked: ML.NET's "Could not find input
    /// column" or "Schema mismatch" error naming it otherwise.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The column is missing or has the wrong type.</exception>
    public DataViewSchema.Column FindLabel(DataViewSchema schema, string name, string paramName)
    {
        var label = ColumnChecks.Find(schema, name, paramName);
        if (!Accepts(label.Type))
            throw ColumnChecks.WrongType(label.Name, ExpectedLabel, label.Type, paramName);
        return label;
    }

    /// <summary>The label column <paramref name="name"/> of an input shape, checked as <see cref="FindLabel(DataViewSchema, string, string)"/> does.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The column is missing or has the wrong type.</exception>
    public SchemaShape.Column FindLabel(SchemaShape shape, string name)
    {
        var label = ColumnChecks.Find(shape, name);
        if (!Accepts(label))
            throw ColumnChecks.WrongType(label, ExpectedLabel);
        return label;
    }

    private protected abstract bool Accepts(DataViewType labelType);

    private protected abstract bool Accepts(SchemaShape.Column label);

    /// <summary>The outputs per row (per token when tagging) a label of an accepted type asks for: 1, the classes, or the horizon.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A key label has fewer than 2 classes.</exception>
    public abstract int OutputCount(DataViewSchema.Column label);

    /// <summary>Whether a model of this task can have <paramref name="outputCount"/> outputs per row (per token when tagging); a saved model's settings are checked with it.</summary>
    public abstract bool SuitsOutputCount(int outputCount);

    /// <summary>
    /// A reader of the cursor's current label into <paramref name="labels"/>; it is given the row's step count
    /// (tokens), which a tagger's label must match.
    /// </summary>
    /// <exception cref="InvalidOperationException">From the reader: a label value is bad; the message names the column and row.</exception>
    public abstract Action<int> CreateLabelReader(DataViewRowCursor cursor, DataViewSchema.Column label, int outputCount, TrainingLabels labels);

    /// <summary>
    /// The training rows: <paramref name="inputs"/> [N, rowShape…] with the labels read; <paramref name="stepsPerRow"/>
    /// is the T every row is padded to (tagging trains on T classes per row; the others ignore it).
    /// </summary>
    public abstract DeepTrainingData CreateTrainingData(float[] inputs, int[] rowShape, TrainingLabels labels, int outputCount, int stepsPerRow);

    /// <summary>The output columns <c>GetOutputSchema</c> promises, in ML.NET's scorer order.</summary>
    /// <param name="label">The checked label column, whose key values a predicted key carries.</param>
    public abstract SchemaShape.Column[] OutputColumns(SchemaShape.Column label);

    /// <summary>The output columns a transformer adds, the same as <see cref="OutputColumns"/>, read from a row scorer's outputs.</summary>
    public abstract AddedColumn[] BindOutputs(DataViewSchema.Column features, Func<DataViewRow, RowScorer> scorerOf, int outputCount, LabelKeyValues? keyValues);

    /// <summary>How many scores one row has: <paramref name="outputCount"/>, or one set per token when tagging.</summary>
    /// <param name="outputCount">The outputs per row (per token when tagging).</param>
    /// <param name="tokens">The row's tokens (steps); only tagging reads it.</param>
    public virtual int ScoreCount(int outputCount, int tokens) => outputCount;

    /// <summary>
    /// Turns the network's logits for one row into the scores its output columns read: the logit itself (binary),
    /// the class probabilities (multiclass, and per token when tagging) or the values (regression).
    /// </summary>
    /// <param name="logits">The row's logits: [C], or [T', C] for tagging (T' at least the row's tokens).</param>
    /// <param name="scores">Receives <see cref="ScoreCount"/> values: [C], or [ℓ, C] for tagging.</param>
    /// <param name="outputCount">C, the outputs per row (per token when tagging).</param>
    public virtual void WriteScores(ReadOnlySpan<float> logits, Span<float> scores, int outputCount) =>
        logits[..scores.Length].CopyTo(scores);

    /// <summary>The label's key values, which a predicted key carries; null when the task predicts no key or the label has none for each class.</summary>
    public virtual LabelKeyValues? KeyValuesOf(DataViewSchema.Column label, int outputCount) => null;

    private protected int ClassCount(DataViewSchema.Column label)
    {
        var key = (KeyDataViewType)ColumnChecks.ItemType(label.Type);
        if (key.Count < 2 || key.Count > int.MaxValue)
            throw new ArgumentOutOfRangeException("input",
                $"Label column '{label.Name}' has type {label.Type}; a {Name} trainer needs a key type with 2 or more classes.");
        return (int)key.Count;
    }

    private protected static LabelKeyValues? KeyValuesNamingEveryClass(DataViewSchema.Column label, int classes) =>
        LabelKeyValues.From(label) is { } values && values.Count == classes ? values : null;

    private protected static SchemaShape KeyValuesOf(SchemaShape.Column label) =>
        new(label.Annotations.Where(a => a.Name == ColumnChecks.KeyValues));

    private sealed class BinaryClassificationTask : PredictionTask
    {
        public override string Name => "binary classification";

        public override string ExpectedLabel => "Boolean or Single (0 or 1)";

        public override Loss CreateLoss() => new BCEWithLogitsLoss();

        public override TrainingMetric Metric => TrainingMetric.BinaryAccuracy;

        public override PredictionScorerKind ScorerKind => PredictionScorerKind.Binary;

        private protected override bool Accepts(DataViewType labelType) =>
            labelType is BooleanDataViewType || labelType == NumberDataViewType.Single;

        private protected override bool Accepts(SchemaShape.Column label) =>
            label.Kind == Scalar && !label.IsKey && (label.ItemType is BooleanDataViewType || label.ItemType == NumberDataViewType.Single);

        public override bool SuitsOutputCount(int outputCount) => outputCount == 1;

        public override int OutputCount(DataViewSchema.Column label) => 1;

        public override Action<int> CreateLabelReader(DataViewRowCursor cursor, DataViewSchema.Column label, int outputCount, TrainingLabels labels)
        {
            if (label.Type is BooleanDataViewType)
            {
                var flagGetter = cursor.GetGetter<bool>(label);
                bool flag = false;
                return _ =>
                {
                    flagGetter(ref flag);
                    labels.Targets.Add(flag ? 1f : 0f);
                };
            }
            var getter = cursor.GetGetter<float>(label);
            float value = 0;
            return _ =>
            {
                getter(ref value);
                if (value is not (0f or 1f))
                    throw ColumnChecks.BadValue(label.Name, cursor, $"the label is {value}; a binary label must be 0 or 1 (or Boolean)");
                labels.Targets.Add(value);
            };
        }

        public override DeepTrainingData CreateTrainingData(float[] inputs, int[] rowShape, TrainingLabels labels, int outputCount, int stepsPerRow) =>
            DeepTrainingData.ForTargets(inputs, rowShape, [.. labels.Targets], [1]);

        public override SchemaShape.Column[] OutputColumns(SchemaShape.Column label) =>
        [
            ColumnChecks.Shape("PredictedLabel", Scalar, BooleanDataViewType.Instance, false),
            ColumnChecks.Shape("Score", Scalar, NumberDataViewType.Single, false),
            ColumnChecks.Shape("Probability", Scalar, NumberDataViewType.Single, false),
        ];

        // The order of ML.NET's binary scorer and calibrator: PredictedLabel (score above 0), Score (the logit) and
        // Probability (its logistic).
        public override AddedColumn[] BindOutputs(DataViewSchema.Column features, Func<DataViewRow, RowScorer> scorerOf, int outputCount, LabelKeyValues? keyValues) =>
        [
            ScalarColumn("PredictedLabel", BooleanDataViewType.Instance, features, scorerOf, (RowScorer s, ref bool v) => v = s.Outputs[0] > 0),
            ScalarColumn("Score", NumberDataViewType.Single, features, scorerOf, (RowScorer s, ref float v) => v = s.Outputs[0]),
            ScalarColumn("Probability", NumberDataViewType.Single, features, scorerOf, (RowScorer s, ref float v) => v = 1f / (1f + MathF.Exp(-s.Outputs[0]))),
        ];
    }

    private sealed class MulticlassClassificationTask : PredictionTask
    {
        public override string Name => "multiclass classification";

        public override string ExpectedLabel => "Key (e.g. from MapValueToKey)";

        public override Loss CreateLoss() => new CrossEntropyLoss();

        public override TrainingMetric Metric => TrainingMetric.Accuracy;

        public override PredictionScorerKind ScorerKind => PredictionScorerKind.Multiclass;

        private protected override bool Accepts(DataViewType labelType) => labelType is KeyDataViewType;

        private protected override bool Accepts(SchemaShape.Column label) => label.Kind == Scalar && label.IsKey;

        public override bool SuitsOutputCount(int outputCount) => outputCount >= 2;

        public override int OutputCount(DataViewSchema.Column label) => ClassCount(label);

        public override Action<int> CreateLabelReader(DataViewRowCursor cursor, DataViewSchema.Column label, int outputCount, TrainingLabels labels)
        {
            var getter = cursor.GetGetter<uint>(label);
            uint key = 0;
            return _ =>
            {
                getter(ref key);
                if (key == 0 || key > outputCount)
                    throw ColumnChecks.BadValue(label.Name, cursor, $"the label is key {key}; expected a class key in 1..{outputCount} (0 is the missing key)");
                labels.Classes.Add((int)key - 1);
            };
        }

        public override DeepTrainingData CreateTrainingData(float[] inputs, int[] rowShape, TrainingLabels labels, int outputCount, int stepsPerRow) =>
            DeepTrainingData.ForClasses(inputs, rowShape, [.. labels.Classes], outputCount);

        public override SchemaShape.Column[] OutputColumns(SchemaShape.Column label) =>
        [
            ColumnChecks.Shape("PredictedLabel", Scalar, NumberDataViewType.UInt32, true, KeyValuesOf(label)),
            ColumnChecks.Shape("Score", Vector, NumberDataViewType.Single, false),
        ];

        public override AddedColumn[] BindOutputs(DataViewSchema.Column features, Func<DataViewRow, RowScorer> scorerOf, int outputCount, LabelKeyValues? keyValues) =>
        [
            PredictedKey(outputCount, keyValues, features, scorerOf),
            VectorScore(new VectorDataViewType(NumberDataViewType.Single, outputCount), features, scorerOf),
        ];

        public override void WriteScores(ReadOnlySpan<float> logits, Span<float> scores, int outputCount) =>
            TensorPrimitives.SoftMax(logits, scores);

        public override LabelKeyValues? KeyValuesOf(DataViewSchema.Column label, int outputCount) => KeyValuesNamingEveryClass(label, outputCount);

        // The key (1-based) of the highest of the class probabilities, with the label's key values.
        private static AddedColumn PredictedKey(int classes, LabelKeyValues? keyValues, DataViewSchema.Column features, Func<DataViewRow, RowScorer> scorerOf) =>
            new(new DataViewSchema.DetachedColumn("PredictedLabel", new KeyDataViewType(typeof(uint), classes), keyValues?.ToAnnotations()), [features],
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

    private sealed class RegressionTask(int horizon) : PredictionTask
    {
        public override string Name => horizon == 1 ? "regression" : "forecasting";

        public override string ExpectedLabel => horizon == 1 ? "Single" : $"Vector<Single, {horizon}>";

        public override Loss CreateLoss() => new MSELoss();

        public override TrainingMetric Metric => TrainingMetric.RootMeanSquaredError;

        public override PredictionScorerKind ScorerKind => horizon == 1 ? PredictionScorerKind.Regression : PredictionScorerKind.Vector;

        // A horizon of 1 also takes Vector<Single, 1>, the shape a one-step forecast window's label often has.
        private protected override bool Accepts(DataViewType labelType) => horizon == 1
            ? labelType == NumberDataViewType.Single || labelType is VectorDataViewType { Size: 1 } one && one.ItemType == NumberDataViewType.Single
            : labelType is VectorDataViewType { Size: var size } vector && size == horizon && vector.ItemType == NumberDataViewType.Single;

        private protected override bool Accepts(SchemaShape.Column label) =>
            !label.IsKey && label.ItemType == NumberDataViewType.Single && (horizon == 1 ? label.Kind != VariableVector : label.Kind == Vector);

        public override bool SuitsOutputCount(int outputCount) => outputCount == horizon;

        public override int OutputCount(DataViewSchema.Column label) => horizon;

        public override Action<int> CreateLabelReader(DataViewRowCursor cursor, DataViewSchema.Column label, int outputCount, TrainingLabels labels)
        {
            if (label.Type is VectorDataViewType)
            {
                var vectorGetter = cursor.GetGetter<VBuffer<float>>(label);
                VBuffer<float> vector = default;
                return _ =>
                {
                    vectorGetter(ref vector);
                    foreach (float target in vector.GetValues())
                        Add(target);
                };
            }
            var getter = cursor.GetGetter<float>(label);
            float value = 0;
            return _ =>
            {
                getter(ref value);
                Add(value);
            };

            void Add(float target)
            {
                if (!float.IsFinite(target))
                    throw ColumnChecks.BadValue(label.Name, cursor, $"the label is {target}; expected finite numbers");
                labels.Targets.Add(target);
            }
        }

        public override DeepTrainingData CreateTrainingData(float[] inputs, int[] rowShape, TrainingLabels labels, int outputCount, int stepsPerRow) =>
            DeepTrainingData.ForTargets(inputs, rowShape, [.. labels.Targets], [outputCount]);

        public override SchemaShape.Column[] OutputColumns(SchemaShape.Column label) =>
            [ColumnChecks.Shape("Score", horizon == 1 ? Scalar : Vector, NumberDataViewType.Single, false)];

        public override AddedColumn[] BindOutputs(DataViewSchema.Column features, Func<DataViewRow, RowScorer> scorerOf, int outputCount, LabelKeyValues? keyValues) =>
            horizon == 1
                ? [ScalarColumn("Score", NumberDataViewType.Single, features, scorerOf, (RowScorer s, ref float v) => v = s.Outputs[0])]
                : [VectorScore(new VectorDataViewType(NumberDataViewType.Single, outputCount), features, scorerOf)];
    }

    private sealed class TaggingTask : PredictionTask
    {
        public override string Name => "tagging";

        public override string ExpectedLabel => "Vector<Key> (one tag per token)";

        // Padded steps and missing tags carry the ignored class, so they add nothing to the loss.
        public override Loss CreateLoss() => new CrossEntropyLoss(ignoreIndex: DeepTrainingData.IgnoredClass);

        public override TrainingMetric Metric => TrainingMetric.Accuracy;

        public override PredictionScorerKind ScorerKind => PredictionScorerKind.Tagging;

        private protected override bool Accepts(DataViewType labelType) => labelType is VectorDataViewType { ItemType: KeyDataViewType };

        private protected override bool Accepts(SchemaShape.Column label) => label.Kind != Scalar && label.IsKey;

        public override bool SuitsOutputCount(int outputCount) => outputCount >= 2;

        public override int OutputCount(DataViewSchema.Column label) => ClassCount(label);

        public override Action<int> CreateLabelReader(DataViewRowCursor cursor, DataViewSchema.Column label, int outputCount, TrainingLabels labels)
        {
            var getter = cursor.GetGetter<VBuffer<uint>>(label);
            VBuffer<uint> tags = default;
            return tokens =>
            {
                getter(ref tags);
                var keys = tags.GetValues();
                if (keys.Length != tokens)
                    throw ColumnChecks.BadValue(label.Name, cursor, $"there are {keys.Length} tags for {tokens} tokens; expected one tag per token");
                var classes = new int[tokens];
                for (int t = 0; t < tokens; t++)
                {
                    if (keys[t] > outputCount)
                        throw ColumnChecks.BadValue(label.Name, cursor, $"tag {t} is key {keys[t]}, above the tag count {outputCount}");
                    classes[t] = keys[t] == 0 ? DeepTrainingData.IgnoredClass : (int)keys[t] - 1;
                }
                labels.TokenClasses.Add(classes);
            };
        }

        public override DeepTrainingData CreateTrainingData(float[] inputs, int[] rowShape, TrainingLabels labels, int outputCount, int stepsPerRow)
        {
            var classes = new int[labels.TokenClasses.Count * stepsPerRow];  // [N·T]
            classes.AsSpan().Fill(DeepTrainingData.IgnoredClass);
            for (int r = 0; r < labels.TokenClasses.Count; r++)
                labels.TokenClasses[r].CopyTo(classes.AsSpan(r * stepsPerRow));
            return DeepTrainingData.ForTokenClasses(inputs, rowShape, classes, stepsPerRow, outputCount);
        }

        public override SchemaShape.Column[] OutputColumns(SchemaShape.Column label) =>
        [
            ColumnChecks.Shape("Score", VariableVector, NumberDataViewType.Single, false),
            ColumnChecks.Shape("PredictedLabel", VariableVector, NumberDataViewType.UInt32, true, KeyValuesOf(label)),
        ];

        public override AddedColumn[] BindOutputs(DataViewSchema.Column features, Func<DataViewRow, RowScorer> scorerOf, int outputCount, LabelKeyValues? keyValues) =>
            [VectorScore(new VectorDataViewType(NumberDataViewType.Single), features, scorerOf), PredictedTags(outputCount, keyValues, features, scorerOf)];

        public override int ScoreCount(int outputCount, int tokens) => tokens * outputCount;

        // Only the row's own tokens are scored: the logits of the padding steps after them mean nothing.
        public override void WriteScores(ReadOnlySpan<float> logits, Span<float> scores, int outputCount)
        {
            for (int t = 0; t < scores.Length / outputCount; t++)
                TensorPrimitives.SoftMax(logits.Slice(t * outputCount, outputCount), scores.Slice(t * outputCount, outputCount));
        }

        public override LabelKeyValues? KeyValuesOf(DataViewSchema.Column label, int outputCount) => KeyValuesNamingEveryClass(label, outputCount);

        // One key per token, the highest of that token's class probabilities (the scorer's outputs are ℓ·C).
        private static AddedColumn PredictedTags(int classes, LabelKeyValues? keyValues, DataViewSchema.Column features, Func<DataViewRow, RowScorer> scorerOf)
        {
            var keyType = new KeyDataViewType(typeof(uint), classes);
            return new AddedColumn(new DataViewSchema.DetachedColumn("PredictedLabel", new VectorDataViewType(keyType), keyValues?.ToAnnotations()), [features],
                ColumnGetterFactory.Of<VBuffer<uint>>(row =>
                {
                    var scorer = scorerOf(row);
                    return (ref VBuffer<uint> value) =>
                    {
                        scorer.Score(row);
                        int tokens = scorer.Outputs.Length / classes;
                        var editor = VBufferEditor.Create(ref value, tokens);
                        for (int t = 0; t < tokens; t++)
                            editor.Values[t] = ArgMaxKey(scorer.Outputs.AsSpan(t * classes, classes));
                        value = editor.Commit();
                    };
                }));
        }
    }

    /// <summary>The 1-based key of the highest probability; the missing key 0 when the scores are NaN.</summary>
    private static uint ArgMaxKey(ReadOnlySpan<float> probabilities) =>
        float.IsNaN(probabilities[0]) ? 0u : (uint)TensorPrimitives.IndexOfMax(probabilities) + 1;

    /// <summary>A vector Score column: all the outputs.</summary>
    private static AddedColumn VectorScore(VectorDataViewType type, DataViewSchema.Column features, Func<DataViewRow, RowScorer> scorerOf) =>
        new(new DataViewSchema.DetachedColumn("Score", type), [features], ColumnGetterFactory.Of<VBuffer<float>>(row =>
        {
            var scorer = scorerOf(row);
            return (ref VBuffer<float> value) =>
            {
                scorer.Score(row);
                DenseVBuffer.Write(ref value, scorer.Outputs);
            };
        }));

    private delegate void ReadOutput<T>(RowScorer scorer, ref T value);

    private static AddedColumn ScalarColumn<T>(string name, DataViewType type, DataViewSchema.Column features,
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
}
