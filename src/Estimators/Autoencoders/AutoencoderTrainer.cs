using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Runtime;
using MLNetExt.Core;
using MLNetExt.Core.Losses;
using MLNetExt.Estimators.DeepLearning;
using MLNetExt.Trainers.Autoencoders;
using MLNetExt.Trainers.DeepLearning;
using MLNetExt.Transforms;
using MLNetExt.Transforms.Autoencoders;

namespace MLNetExt.Estimators.Autoencoders;

/// <summary>
/// Trains an autoencoder anomaly detector (dense, denoising, sparse, contractive, convolutional or variational; see
/// <see cref="AutoencoderKind"/>) on a features column, unsupervised: rows that the network reconstructs badly score
/// high. Made by <c>mlContext.AnomalyDetection.Trainers.Autoencoder</c>; outputs Score and PredictedLabel as ML.NET's
/// anomaly detectors do (see <see cref="AutoencoderAnomalyTransformer"/>), so <c>mlContext.AnomalyDetection.Evaluate</c>
/// reads them.
/// </summary>
/// <remarks>
/// <para>Fit reads every row into memory (F floats per row), rejecting a non-finite feature with the column and row
/// named; with binary cross-entropy every feature must lie in [0, 1]. It standardizes the features with their own
/// statistics (when asked), trains with the shared deep-learning loop (progress, cancellation, early stopping on the
/// held-out rows' loss), then scores every training row to set the threshold at the (1 − contamination) quantile.</para>
/// <para>A single training row works (nothing is held out); batch normalization needs at least two rows per batch.</para>
/// </remarks>
public sealed class AutoencoderTrainer : IEstimator<AutoencoderAnomalyTransformer>
{
    private readonly IHostEnvironment _context;
    private readonly Options _options;

    internal AutoencoderTrainer(IHostEnvironment context, Options options)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _context = context;
        _options = (Options)options.Copy();
    }

    /// <summary>The settings of <see cref="AutoencoderTrainer"/>.</summary>
    public sealed class Options : AutoencoderTrainerOptions
    {
    }

    /// <summary>Trains the autoencoder on <paramref name="input"/>'s features column; the input is not changed.</summary>
    /// <param name="input">The training data; only the features column is read (a label, if any, is ignored).</param>
    /// <exception cref="ArgumentOutOfRangeException">The features column is missing or has the wrong type, or its image shape does not fit.</exception>
    /// <exception cref="InvalidOperationException">A feature value is bad (the message names the column and row), the data has no rows, or training diverged.</exception>
    /// <exception cref="TrainingCanceledException">The options' cancellation token was cancelled; the exception carries the best model so far.</exception>
    public AutoencoderAnomalyTransformer Fit(IDataView input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var features = ColumnChecks.Find(input.Schema, _options.FeatureColumnName, nameof(input));
        if (features.Type is not VectorDataViewType { IsKnownSize: true } vector || vector.ItemType != NumberDataViewType.Single)
            throw ColumnChecks.WrongType(features.Name, "known-size Vector<Single>", features.Type, nameof(input));
        int featureCount = vector.Size;
        var imageShape = _options.Kind == AutoencoderKind.Convolutional ? ImageShapeOf(features, vector) : null;
        var architecture = AutoencoderArchitecture.From(_options, featureCount, imageShape);
        if (architecture.Problem() is { } problem)
            throw new ArgumentOutOfRangeException(nameof(input), $"The autoencoder for column '{features.Name}' cannot be built: {problem}.");

        var inputs = ReadRows(input, features, featureCount);
        FeatureStandardizer? standardizer = null;
        if (_options.StandardizeFeatures)
        {
            standardizer = FeatureStandardizer.Fit(inputs, featureCount);
            standardizer.Apply(inputs);
        }
        var random = new RandomSource(_options.Seed is { } seed ? (ulong)(uint)seed : (ulong)(uint)MLNetInternals.NextSeed(_context));
        var network = AutoencoderNetwork.Build(architecture, random);
        // The targets are the (clean, standardized) inputs themselves; a denoising network corrupts its own copy.
        var data = DeepTrainingData.ForTargets(inputs, [featureCount], inputs, [featureCount]);
        Loss loss = _options.ReconstructionLoss == AutoencoderReconstructionLoss.BinaryCrossEntropy ? new BCEWithLogitsLoss() : new MSELoss();
        var result = new DeepTrainingLoop(_options, random.Fork()).Run(network, loss, data);
        var scores = ReconstructionErrors.ScoreRows(network, inputs);
        var settings = new AutoencoderAnomalyTransformer.SavedOptions
        {
            FeatureColumnName = features.Name,
            ReconstructionErrorsColumnName = NullIfEmpty(_options.ReconstructionErrorsColumnName),
            CodeColumnName = NullIfEmpty(_options.CodeColumnName),
            Threshold = ReconstructionErrors.Quantile(scores, 1 - _options.Contamination),
            Standardized = standardizer is not null,
            Architecture = architecture,
        };
        var model = new AutoencoderAnomalyTransformer(network, settings, standardizer, result);
        if (result.StopReason == TrainingStopReason.Canceled)
            throw new TrainingCanceledException(model, result, _options.CancellationToken);
        return model;
    }

    /// <summary>The input shape plus the detector's columns: the errors and code vectors (when asked), PredictedLabel (Boolean) and Score (Single).</summary>
    /// <param name="inputSchema">The input's shape; it needs the features column.</param>
    /// <exception cref="ArgumentOutOfRangeException">The features column is missing or has the wrong type.</exception>
    public SchemaShape GetOutputSchema(SchemaShape inputSchema)
    {
        ArgumentNullException.ThrowIfNull(inputSchema);
        var features = ColumnChecks.Find(inputSchema, _options.FeatureColumnName);
        if (features.Kind != SchemaShape.Column.VectorKind.Vector || features.IsKey || features.ItemType != NumberDataViewType.Single)
            throw ColumnChecks.WrongType(features, "known-size Vector<Single>");
        var columns = inputSchema.ToList();
        foreach (var name in new[] { _options.ReconstructionErrorsColumnName, _options.CodeColumnName })
        {
            if (!string.IsNullOrEmpty(name))
                columns.Add(ColumnChecks.Shape(name, SchemaShape.Column.VectorKind.Vector, NumberDataViewType.Single, false));
        }
        columns.Add(ColumnChecks.Shape("PredictedLabel", SchemaShape.Column.VectorKind.Scalar, BooleanDataViewType.Instance, false));
        columns.Add(ColumnChecks.Shape("Score", SchemaShape.Column.VectorKind.Scalar, NumberDataViewType.Single, false));
        return new SchemaShape(columns.GroupBy(c => c.Name).Select(g => g.Last()));
    }

    // [C, H, W] from the options, or from the column's dimensions (ML.NET's ExtractPixels gives Vector<Single, C, H, W>).
    private int[] ImageShapeOf(DataViewSchema.Column features, VectorDataViewType vector)
    {
        var shape = _options.ImageShape ?? (vector.Dimensions.Length == 3 ? vector.Dimensions.ToArray() : null)
            ?? throw new ArgumentOutOfRangeException("input",
                $"The convolutional autoencoder needs images, but column '{features.Name}' is {vector}; give it Vector<Single, C, H, W> (ML.NET's ExtractPixels) or set option ImageShape = [C, H, W].");
        if ((long)shape[0] * shape[1] * shape[2] != vector.Size)
            throw new ArgumentOutOfRangeException("input",
                $"Option ImageShape [{string.Join(", ", shape)}] holds {(long)shape[0] * shape[1] * shape[2]} values, but column '{features.Name}' has {vector.Size}.");
        return shape;
    }

    // Every row's features, [N, F] row-major; bad values are named by column and row.
    private float[] ReadRows(IDataView input, DataViewSchema.Column features, int featureCount)
    {
        bool unitRange = _options.ReconstructionLoss == AutoencoderReconstructionLoss.BinaryCrossEntropy;
        var rows = new List<float>();
        using var cursor = input.GetRowCursor([features]);
        var getter = cursor.GetGetter<VBuffer<float>>(features);
        VBuffer<float> buffer = default;
        var dense = new float[featureCount];
        while (cursor.MoveNext())
        {
            getter(ref buffer);
            if (buffer.Length != featureCount)
                throw ColumnChecks.BadValue(features.Name, cursor, $"the vector has {buffer.Length} values, expected {featureCount}");
            buffer.CopyTo(dense);
            for (int i = 0; i < featureCount; i++)
            {
                float value = dense[i];
                if (!float.IsFinite(value))
                    throw ColumnChecks.BadValue(features.Name, cursor, $"slot {i} is {value}; every feature must be a finite number (fill or drop missing values first, e.g. with ReplaceMissingValues)");
                if (unitRange && value is < 0 or > 1)
                    throw ColumnChecks.BadValue(features.Name, cursor, $"slot {i} is {value}; binary cross-entropy needs every feature in [0, 1] (scale pixels with ExtractPixels(scaleImage: 1f / 255) or use MeanSquaredError)");
            }
            rows.AddRange(dense);
        }
        if (rows.Count == 0)
            throw new InvalidOperationException("The training data has no rows.");
        return [.. rows];
    }

    private static string? NullIfEmpty(string? name) => string.IsNullOrEmpty(name) ? null : name;
}
