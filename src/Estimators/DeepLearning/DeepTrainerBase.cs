using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Runtime;
using MLNetExt.Core;
using MLNetExt.Core.Modules;
using MLNetExt.Trainers.DeepLearning;
using MLNetExt.Transforms;
using MLNetExt.Transforms.DeepLearning;

namespace MLNetExt.Estimators.DeepLearning;

/// <summary>
/// What every deep trainer shares, as ML.NET's <c>TrainerEstimatorBase</c> does for its learners: finding and checking
/// the features and label columns, reading every row into memory (rejecting non-finite features with the column and
/// row named), running the <see cref="DeepTrainingLoop"/> (progress, cancellation, divergence, early stopping) with
/// the task's loss and metric, and promising the task's output columns. The task (<see cref="PredictionTask"/>) owns
/// the label; a component supplies only its feature check and a <see cref="ComponentFit"/>: its feature reader, its
/// network and its transformer.
/// </summary>
/// <typeparam name="TTransformer">The fitted model.</typeparam>
/// <typeparam name="TOptions">The component's settings.</typeparam>
public abstract class DeepTrainerBase<TTransformer, TOptions> : IEstimator<TTransformer>
    where TTransformer : DeepPredictionTransformer
    where TOptions : DeepTrainerOptions
{
    private readonly IHostEnvironment _context;

    /// <param name="context">The ML.NET environment, for the seed when the options have none.</param>
    /// <param name="options">The component's options, already checked and copied (they are read, never written).</param>
    /// <param name="task">What the trained model predicts.</param>
    private protected DeepTrainerBase(IHostEnvironment context, TOptions options, PredictionTask task)
    {
        ArgumentNullException.ThrowIfNull(context);
        _context = context;
        TrainerOptions = options;
        PredictionTask = task;
    }

    /// <summary>The component's settings, checked and copied when the trainer was made.</summary>
    private protected TOptions TrainerOptions { get; }

    /// <summary>What the trained model predicts: the label rules, the loss and the output columns.</summary>
    private protected PredictionTask PredictionTask { get; }

    /// <summary>The label column the options name.</summary>
    private protected abstract string LabelColumnName { get; }

    /// <summary>The features column the options name.</summary>
    private protected abstract string FeatureColumnName { get; }

    /// <summary>The features type the component reads, as error messages word it.</summary>
    private protected abstract string ExpectedFeatures { get; }

    /// <summary>Whether the component can read a features column of this type.</summary>
    private protected abstract bool AcceptsFeatures(DataViewType type);

    /// <summary>Whether the component can read a features column of this shape (checked before any data is seen).</summary>
    private protected abstract bool AcceptsFeatures(SchemaShape.Column features);

    /// <summary>Starts the component's part of one Fit over the checked columns.</summary>
    /// <param name="features">The features column, of a type the component accepts.</param>
    /// <param name="label">The label column, of a type the task accepts.</param>
    /// <param name="outputCount">The outputs per row (per token when tagging) the task's label asks for.</param>
    private protected abstract ComponentFit StartFit(DataViewSchema.Column features, DataViewSchema.Column label, int outputCount);

    /// <summary>
    /// Trains the network on <paramref name="input"/>. The input is not changed.
    /// </summary>
    /// <param name="input">The training data, with the label and features columns.</param>
    /// <exception cref="ArgumentOutOfRangeException">A column is missing or has the wrong type.</exception>
    /// <exception cref="InvalidOperationException">A feature or label value is bad (the message names the column and row), the data has no rows, or training diverged.</exception>
    /// <exception cref="TrainingCanceledException">The options' cancellation token was cancelled; the exception carries the best model so far.</exception>
    public TTransformer Fit(IDataView input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var features = ColumnChecks.Find(input.Schema, FeatureColumnName, nameof(input));
        if (!AcceptsFeatures(features.Type))
            throw ColumnChecks.WrongType(features.Name, ExpectedFeatures, features.Type, nameof(input));
        var label = PredictionTask.FindLabel(input.Schema, LabelColumnName, nameof(input));
        int outputCount = PredictionTask.OutputCount(label);
        var fit = StartFit(features, label, outputCount);
        var labels = new TrainingLabels();
        var rows = ReadRows(input, features, label, outputCount, fit, labels);
        var inputs = fit.PackInputs(rows, labels);
        var data = PredictionTask.CreateTrainingData(inputs.Values, inputs.RowShape, labels, outputCount, inputs.StepsPerRow);
        var random = new RandomSource(TrainerOptions.Seed is { } seed ? (ulong)(uint)seed : (ulong)(uint)MLNetInternals.NextSeed(_context));
        var network = fit.BuildNetwork(random);
        var result = new DeepTrainingLoop(TrainerOptions, random.Fork()).Run(network, PredictionTask.CreateLoss(), data, PredictionTask.Metric);
        var model = fit.CreateTransformer(PredictionTask.KeyValuesOf(label, outputCount), result);
        if (result.StopReason == TrainingStopReason.Canceled)
            throw new TrainingCanceledException(model, result, TrainerOptions.CancellationToken);
        return model;
    }

    /// <summary>The input shape plus the task's output columns, in the order of ML.NET's scorer for the task.</summary>
    /// <param name="inputSchema">The input's shape; it needs the label and features columns.</param>
    /// <exception cref="ArgumentOutOfRangeException">A column is missing or has the wrong type.</exception>
    public SchemaShape GetOutputSchema(SchemaShape inputSchema)
    {
        ArgumentNullException.ThrowIfNull(inputSchema);
        var features = ColumnChecks.Find(inputSchema, FeatureColumnName);
        if (!AcceptsFeatures(features))
            throw ColumnChecks.WrongType(features, ExpectedFeatures);
        var label = PredictionTask.FindLabel(inputSchema, LabelColumnName);
        return new SchemaShape(inputSchema.Concat(PredictionTask.OutputColumns(label)));
    }

    /// <summary>Every row's features (as the component reads them) and label (as the task reads it).</summary>
    private List<float[]> ReadRows(IDataView input, DataViewSchema.Column features, DataViewSchema.Column label, int outputCount,
        ComponentFit fit, TrainingLabels labels)
    {
        var rows = new List<float[]>();
        using var cursor = input.GetRowCursor([features, label]);
        var readFeatures = fit.CreateFeatureReader(cursor);
        var readLabel = PredictionTask.CreateLabelReader(cursor, label, outputCount, labels);
        var values = new List<float>();
        while (cursor.MoveNext())
        {
            values.Clear();
            int steps = readFeatures(values);
            for (int i = 0; i < values.Count; i++)
            {
                if (!float.IsFinite(values[i]))
                    throw ColumnChecks.BadValue(features.Name, cursor, $"slot {i} is {values[i]}; every feature must be a finite number (fill or drop missing values first)");
            }
            rows.Add([.. values]);
            readLabel(steps);
        }
        if (rows.Count == 0)
            throw new InvalidOperationException("The training data has no rows.");
        return rows;
    }

    /// <summary>
    /// The training inputs [N, RowShape…], every row padded to <paramref name="StepsPerRow"/> steps (1 for a row
    /// without steps).
    /// </summary>
    private protected sealed record PackedInputs(float[] Values, int[] RowShape, int StepsPerRow);

    /// <summary>
    /// The component's part of one Fit, made for the checked columns: it reads each row's features, packs them as the
    /// network reads them, builds the network and wraps the trained network in the transformer.
    /// </summary>
    private protected abstract class ComponentFit
    {
        /// <summary>
        /// A reader of the cursor's current features: it appends the row's values to its argument and returns the
        /// row's step count (1 for a row without steps), which a tagger's label must match.
        /// </summary>
        /// <exception cref="InvalidOperationException">From the reader: a value is bad; the message names the column and row.</exception>
        public abstract Func<List<float>, int> CreateFeatureReader(DataViewRowCursor cursor);

        /// <summary>Packs every row's values as the network's input rows; it may rescale the features and regression targets it records.</summary>
        public abstract PackedInputs PackInputs(IReadOnlyList<float[]> rows, TrainingLabels labels);

        /// <summary>Builds the untrained network (drawing its initial weights from <paramref name="random"/>).</summary>
        public abstract Module BuildNetwork(RandomSource random);

        /// <summary>The fitted model over the network <see cref="BuildNetwork"/> built, now trained.</summary>
        /// <param name="keyValues">The label's key values when the task predicts a key; otherwise null.</param>
        /// <param name="result">What training did.</param>
        public abstract TTransformer CreateTransformer(LabelKeyValues? keyValues, DeepTrainingResult result);
    }
}
