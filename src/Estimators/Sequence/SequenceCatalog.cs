using MLNetExt.Estimators.Sequence;
using MLNetExt.Transforms;
using MLNetExt.Trainers.Sequence;

namespace Microsoft.ML;

/// <summary>
/// The recurrent sequence trainers of the task catalogs: <c>BinaryClassification.Trainers.Recurrent</c>,
/// <c>MulticlassClassification.Trainers.Recurrent</c> and <c>.RecurrentTagger</c>, and
/// <c>Regression.Trainers.RecurrentForecaster</c>, each with the cell (LSTM, GRU or RNN) of
/// <see cref="SequenceTrainerOptions.Cell"/>; and the convenience methods that choose the cell by name:
/// <c>Lstm/Gru</c>, <c>LstmTagger/GruTagger</c> and <c>LstmForecaster/GruForecaster</c>.
/// </summary>
public static class SequenceCatalog
{
    /// <summary>
    /// A recurrent many-to-one binary classifier whose cell (LSTM, GRU or RNN) is <see cref="SequenceTrainerOptions.Cell"/>;
    /// see <see cref="SequenceBinaryTrainer"/>.
    /// </summary>
    /// <param name="catalog">The binary classification trainers.</param>
    /// <param name="options">The settings, the cell included; checked and copied here.</param>
    public static SequenceBinaryTrainer Recurrent(this BinaryClassificationCatalog.BinaryClassificationTrainers catalog, SequenceBinaryTrainer.Options options)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        return new SequenceBinaryTrainer(MLNetInternals.Environment(catalog), options);
    }

    /// <summary>
    /// A recurrent many-to-one multiclass classifier whose cell (LSTM, GRU or RNN) is <see cref="SequenceTrainerOptions.Cell"/>;
    /// see <see cref="SequenceMulticlassTrainer"/>.
    /// </summary>
    /// <param name="catalog">The multiclass classification trainers.</param>
    /// <param name="options">The settings, the cell included; checked and copied here.</param>
    public static SequenceMulticlassTrainer Recurrent(this MulticlassClassificationCatalog.MulticlassClassificationTrainers catalog, SequenceMulticlassTrainer.Options options)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        return new SequenceMulticlassTrainer(MLNetInternals.Environment(catalog), options);
    }

    /// <summary>
    /// A recurrent sequence tagger (one tag per token) whose cell (LSTM, GRU or RNN) is <see cref="SequenceTrainerOptions.Cell"/>;
    /// see <see cref="SequenceTaggingTrainer"/>.
    /// </summary>
    /// <param name="catalog">The multiclass classification trainers.</param>
    /// <param name="options">The settings, the cell included; checked and copied here.</param>
    public static SequenceTaggingTrainer RecurrentTagger(this MulticlassClassificationCatalog.MulticlassClassificationTrainers catalog, SequenceTaggingTrainer.Options options)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        return new SequenceTaggingTrainer(MLNetInternals.Environment(catalog), options);
    }

    /// <summary>
    /// A recurrent forecaster of <see cref="SequenceForecastingTrainer.Options.Horizon"/> values whose cell (LSTM, GRU
    /// or RNN) is <see cref="SequenceTrainerOptions.Cell"/>; see <see cref="SequenceForecastingTrainer"/>.
    /// </summary>
    /// <param name="catalog">The regression trainers.</param>
    /// <param name="options">The settings, the cell and horizon included; checked and copied here.</param>
    public static SequenceForecastingTrainer RecurrentForecaster(this RegressionCatalog.RegressionTrainers catalog, SequenceForecastingTrainer.Options options)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        return new SequenceForecastingTrainer(MLNetInternals.Environment(catalog), options);
    }

    /// <summary>An LSTM many-to-one binary classifier; see <see cref="SequenceBinaryTrainer"/>.</summary>
    /// <param name="catalog">The binary classification trainers.</param>
    /// <param name="labelColumnName">The label column: Boolean, or Single holding 0 or 1.</param>
    /// <param name="featureColumnName">The features column: a vector of token keys, or a vector of Single (one value per step).</param>
    /// <param name="hiddenSize">The hidden width of the recurrent layer; at least 1.</param>
    /// <param name="numberOfEpochs">The most passes over the data; at least 1.</param>
    /// <param name="learningRate">The initial learning rate; greater than 0.</param>
    /// <param name="batchSize">The rows per gradient step; at least 1.</param>
    public static SequenceBinaryTrainer Lstm(this BinaryClassificationCatalog.BinaryClassificationTrainers catalog,
        string labelColumnName = "Label", string featureColumnName = "Features", int hiddenSize = 32,
        int numberOfEpochs = 20, double learningRate = 0.005, int batchSize = 32)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        var options = Fill(new SequenceBinaryTrainer.Options(), labelColumnName, featureColumnName, hiddenSize, numberOfEpochs, learningRate, batchSize);
        return new SequenceBinaryTrainer(MLNetInternals.Environment(catalog), options, SequenceCellType.Lstm);
    }

    /// <summary>An LSTM many-to-one binary classifier with every setting; see <see cref="SequenceBinaryTrainer"/>.</summary>
    /// <param name="catalog">The binary classification trainers.</param>
    /// <param name="options">The settings, whose <see cref="SequenceTrainerOptions.Cell"/> this method overrides; checked and copied here.</param>
    public static SequenceBinaryTrainer Lstm(this BinaryClassificationCatalog.BinaryClassificationTrainers catalog, SequenceBinaryTrainer.Options options)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        return new SequenceBinaryTrainer(MLNetInternals.Environment(catalog), options, SequenceCellType.Lstm);
    }

    /// <summary>A GRU many-to-one binary classifier; see <see cref="SequenceBinaryTrainer"/>.</summary>
    /// <param name="catalog">The binary classification trainers.</param>
    /// <param name="labelColumnName">The label column: Boolean, or Single holding 0 or 1.</param>
    /// <param name="featureColumnName">The features column: a vector of token keys, or a vector of Single (one value per step).</param>
    /// <param name="hiddenSize">The hidden width of the recurrent layer; at least 1.</param>
    /// <param name="numberOfEpochs">The most passes over the data; at least 1.</param>
    /// <param name="learningRate">The initial learning rate; greater than 0.</param>
    /// <param name="batchSize">The rows per gradient step; at least 1.</param>
    public static SequenceBinaryTrainer Gru(this BinaryClassificationCatalog.BinaryClassificationTrainers catalog,
        string labelColumnName = "Label", string featureColumnName = "Features", int hiddenSize = 32,
        int numberOfEpochs = 20, double learningRate = 0.005, int batchSize = 32)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        var options = Fill(new SequenceBinaryTrainer.Options(), labelColumnName, featureColumnName, hiddenSize, numberOfEpochs, learningRate, batchSize);
        return new SequenceBinaryTrainer(MLNetInternals.Environment(catalog), options, SequenceCellType.Gru);
    }

    /// <summary>A GRU many-to-one binary classifier with every setting; see <see cref="SequenceBinaryTrainer"/>.</summary>
    /// <param name="catalog">The binary classification trainers.</param>
    /// <param name="options">The settings, whose <see cref="SequenceTrainerOptions.Cell"/> this method overrides; checked and copied here.</param>
    public static SequenceBinaryTrainer Gru(this BinaryClassificationCatalog.BinaryClassificationTrainers catalog, SequenceBinaryTrainer.Options options)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        return new SequenceBinaryTrainer(MLNetInternals.Environment(catalog), options, SequenceCellType.Gru);
    }

    /// <summary>An LSTM many-to-one multiclass classifier; see <see cref="SequenceMulticlassTrainer"/>.</summary>
    /// <param name="catalog">The multiclass classification trainers.</param>
    /// <param name="labelColumnName">The label column: a key type (e.g. made by <c>MapValueToKey</c>), one class per key.</param>
    /// <param name="featureColumnName">The features column: a vector of token keys, or a vector of Single (one value per step).</param>
    /// <param name="hiddenSize">The hidden width of the recurrent layer; at least 1.</param>
    /// <param name="numberOfEpochs">The most passes over the data; at least 1.</param>
    /// <param name="learningRate">The initial learning rate; greater than 0.</param>
    /// <param name="batchSize">The rows per gradient step; at least 1.</param>
    public static SequenceMulticlassTrainer Lstm(this MulticlassClassificationCatalog.MulticlassClassificationTrainers catalog,
        string labelColumnName = "Label", string featureColumnName = "Features", int hiddenSize = 32,
        int numberOfEpochs = 20, double learningRate = 0.005, int batchSize = 32)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        var options = Fill(new SequenceMulticlassTrainer.Options(), labelColumnName, featureColumnName, hiddenSize, numberOfEpochs, learningRate, batchSize);
        return new SequenceMulticlassTrainer(MLNetInternals.Environment(catalog), options, SequenceCellType.Lstm);
    }

    /// <summary>An LSTM many-to-one multiclass classifier with every setting; see <see cref="SequenceMulticlassTrainer"/>.</summary>
    /// <param name="catalog">The multiclass classification trainers.</param>
    /// <param name="options">The settings, whose <see cref="SequenceTrainerOptions.Cell"/> this method overrides; checked and copied here.</param>
    public static SequenceMulticlassTrainer Lstm(this MulticlassClassificationCatalog.MulticlassClassificationTrainers catalog, SequenceMulticlassTrainer.Options options)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        return new SequenceMulticlassTrainer(MLNetInternals.Environment(catalog), options, SequenceCellType.Lstm);
    }

    /// <summary>A GRU many-to-one multiclass classifier; see <see cref="SequenceMulticlassTrainer"/>.</summary>
    /// <param name="catalog">The multiclass classification trainers.</param>
    /// <param name="labelColumnName">The label column: a key type (e.g. made by <c>MapValueToKey</c>), one class per key.</param>
    /// <param name="featureColumnName">The features column: a vector of token keys, or a vector of Single (one value per step).</param>
    /// <param name="hiddenSize">The hidden width of the recurrent layer; at least 1.</param>
    /// <param name="numberOfEpochs">The most passes over the data; at least 1.</param>
    /// <param name="learningRate">The initial learning rate; greater than 0.</param>
    /// <param name="batchSize">The rows per gradient step; at least 1.</param>
    public static SequenceMulticlassTrainer Gru(this MulticlassClassificationCatalog.MulticlassClassificationTrainers catalog,
        string labelColumnName = "Label", string featureColumnName = "Features", int hiddenSize = 32,
        int numberOfEpochs = 20, double learningRate = 0.005, int batchSize = 32)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        var options = Fill(new SequenceMulticlassTrainer.Options(), labelColumnName, featureColumnName, hiddenSize, numberOfEpochs, learningRate, batchSize);
        return new SequenceMulticlassTrainer(MLNetInternals.Environment(catalog), options, SequenceCellType.Gru);
    }

    /// <summary>A GRU many-to-one multiclass classifier with every setting; see <see cref="SequenceMulticlassTrainer"/>.</summary>
    /// <param name="catalog">The multiclass classification trainers.</param>
    /// <param name="options">The settings, whose <see cref="SequenceTrainerOptions.Cell"/> this method overrides; checked and copied here.</param>
    public static SequenceMulticlassTrainer Gru(this MulticlassClassificationCatalog.MulticlassClassificationTrainers catalog, SequenceMulticlassTrainer.Options options)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        return new SequenceMulticlassTrainer(MLNetInternals.Environment(catalog), options, SequenceCellType.Gru);
    }

    /// <summary>An LSTM sequence tagger (one class per token); see <see cref="SequenceTaggingTrainer"/>.</summary>
    /// <param name="catalog">The multiclass classification trainers.</param>
    /// <param name="labelColumnName">The label column: a vector of tag keys, one per token.</param>
    /// <param name="featureColumnName">The features column: a vector of token keys.</param>
    /// <param name="hiddenSize">The hidden width of the recurrent layer; at least 1.</param>
    /// <param name="numberOfEpochs">The most passes over the data; at least 1.</param>
    /// <param name="learningRate">The initial learning rate; greater than 0.</param>
    /// <param name="batchSize">The rows per gradient step; at least 1.</param>
    public static SequenceTaggingTrainer LstmTagger(this MulticlassClassificationCatalog.MulticlassClassificationTrainers catalog,
        string labelColumnName = "Label", string featureColumnName = "Features", int hiddenSize = 32,
        int numberOfEpochs = 20, double learningRate = 0.005, int batchSize = 32)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        var options = Fill(new SequenceTaggingTrainer.Options(), labelColumnName, featureColumnName, hiddenSize, numberOfEpochs, learningRate, batchSize);
        return new SequenceTaggingTrainer(MLNetInternals.Environment(catalog), options, SequenceCellType.Lstm);
    }

    /// <summary>An LSTM sequence tagger (one class per token) with every setting; see <see cref="SequenceTaggingTrainer"/>.</summary>
    /// <param name="catalog">The multiclass classification trainers.</param>
    /// <param name="options">The settings, whose <see cref="SequenceTrainerOptions.Cell"/> this method overrides; checked and copied here.</param>
    public static SequenceTaggingTrainer LstmTagger(this MulticlassClassificationCatalog.MulticlassClassificationTrainers catalog, SequenceTaggingTrainer.Options options)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        return new SequenceTaggingTrainer(MLNetInternals.Environment(catalog), options, SequenceCellType.Lstm);
    }

    /// <summary>A GRU sequence tagger (one class per token); see <see cref="SequenceTaggingTrainer"/>.</summary>
    /// <param name="catalog">The multiclass classification trainers.</param>
    /// <param name="labelColumnName">The label column: a vector of tag keys, one per token.</param>
    /// <param name="featureColumnName">The features column: a vector of token keys.</param>
    /// <param name="hiddenSize">The hidden width of the recurrent layer; at least 1.</param>
    /// <param name="numberOfEpochs">The most passes over the data; at least 1.</param>
    /// <param name="learningRate">The initial learning rate; greater than 0.</param>
    /// <param name="batchSize">The rows per gradient step; at least 1.</param>
    public static SequenceTaggingTrainer GruTagger(this MulticlassClassificationCatalog.MulticlassClassificationTrainers catalog,
        string labelColumnName = "Label", string featureColumnName = "Features", int hiddenSize = 32,
        int numberOfEpochs = 20, double learningRate = 0.005, int batchSize = 32)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        var options = Fill(new SequenceTaggingTrainer.Options(), labelColumnName, featureColumnName, hiddenSize, numberOfEpochs, learningRate, batchSize);
        return new SequenceTaggingTrainer(MLNetInternals.Environment(catalog), options, SequenceCellType.Gru);
    }

    /// <summary>A GRU sequence tagger (one class per token) with every setting; see <see cref="SequenceTaggingTrainer"/>.</summary>
    /// <param name="catalog">The multiclass classification trainers.</param>
    /// <param name="options">The settings, whose <see cref="SequenceTrainerOptions.Cell"/> this method overrides; checked and copied here.</param>
    public static SequenceTaggingTrainer GruTagger(this MulticlassClassificationCatalog.MulticlassClassificationTrainers catalog, SequenceTaggingTrainer.Options options)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        return new SequenceTaggingTrainer(MLNetInternals.Environment(catalog), options, SequenceCellType.Gru);
    }

    /// <summary>An LSTM forecaster (sequence regression over a window of past steps); see <see cref="SequenceForecastingTrainer"/>.</summary>
    /// <param name="catalog">The regression trainers.</param>
    /// <param name="labelColumnName">The label column: Single (horizon 1) or Vector&lt;Single, horizon&gt;, the values after the window.</param>
    /// <param name="featureColumnName">The features column: a vector of Single holding the past window (one value per step).</param>
    /// <param name="hiddenSize">The hidden width of the recurrent layer; at least 1.</param>
    /// <param name="horizon">The values predicted per row; at least 1.</param>
    /// <param name="numberOfEpochs">The most passes over the data; at least 1.</param>
    /// <param name="learningRate">The initial learning rate; greater than 0.</param>
    /// <param name="batchSize">The rows per gradient step; at least 1.</param>
    public static SequenceForecastingTrainer LstmForecaster(this RegressionCatalog.RegressionTrainers catalog,
        string labelColumnName = "Label", string featureColumnName = "Features", int hiddenSize = 32, int horizon = 1,
        int numberOfEpochs = 20, double learningRate = 0.005, int batchSize = 32)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        var options = Fill(new SequenceForecastingTrainer.Options(), labelColumnName, featureColumnName, hiddenSize, numberOfEpochs, learningRate, batchSize);
        options.Horizon = horizon;
        return new SequenceForecastingTrainer(MLNetInternals.Environment(catalog), options, SequenceCellType.Lstm);
    }

    /// <summary>An LSTM forecaster (sequence regression over a window of past steps) with every setting; see <see cref="SequenceForecastingTrainer"/>.</summary>
    /// <param name="catalog">The regression trainers.</param>
    /// <param name="options">The settings, whose <see cref="SequenceTrainerOptions.Cell"/> this method overrides; checked and copied here.</param>
    public static SequenceForecastingTrainer LstmForecaster(this RegressionCatalog.RegressionTrainers catalog, SequenceForecastingTrainer.Options options)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        return new SequenceForecastingTrainer(MLNetInternals.Environment(catalog), options, SequenceCellType.Lstm);
    }

    /// <summary>A GRU forecaster (sequence regression over a window of past steps); see <see cref="SequenceForecastingTrainer"/>.</summary>
    /// <param name="catalog">The regression trainers.</param>
    /// <param name="labelColumnName">The label column: Single (horizon 1) or Vector&lt;Single, horizon&gt;, the values after the window.</param>
    /// <param name="featureColumnName">The features column: a vector of Single holding the past window (one value per step).</param>
    /// <param name="hiddenSize">The hidden width of the recurrent layer; at least 1.</param>
    /// <param name="horizon">The values predicted per row; at least 1.</param>
    /// <param name="numberOfEpochs">The most passes over the data; at least 1.</param>
    /// <param name="learningRate">The initial learning rate; greater than 0.</param>
    /// <param name="batchSize">The rows per gradient step; at least 1.</param>
    public static SequenceForecastingTrainer GruForecaster(this RegressionCatalog.RegressionTrainers catalog,
        string labelColumnName = "Label", string featureColumnName = "Features", int hiddenSize = 32, int horizon = 1,
        int numberOfEpochs = 20, double learningRate = 0.005, int batchSize = 32)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        var options = Fill(new SequenceForecastingTrainer.Options(), labelColumnName, featureColumnName, hiddenSize, numberOfEpochs, learningRate, batchSize);
        options.Horizon = horizon;
        return new SequenceForecastingTrainer(MLNetInternals.Environment(catalog), options, SequenceCellType.Gru);
    }

    /// <summary>A GRU forecaster (sequence regression over a window of past steps) with every setting; see <see cref="SequenceForecastingTrainer"/>.</summary>
    /// <param name="catalog">The regression trainers.</param>
    /// <param name="options">The settings, whose <see cref="SequenceTrainerOptions.Cell"/> this method overrides; checked and copied here.</param>
    public static SequenceForecastingTrainer GruForecaster(this RegressionCatalog.RegressionTrainers catalog, SequenceForecastingTrainer.Options options)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        return new SequenceForecastingTrainer(MLNetInternals.Environment(catalog), options, SequenceCellType.Gru);
    }

    private static TOptions Fill<TOptions>(TOptions options, string labelColumnName, string featureColumnName, int hiddenSize,
        int numberOfEpochs, double learningRate, int batchSize)
        where TOptions : SequenceTrainerOptions
    {
        options.LabelColumnName = labelColumnName;
        options.FeatureColumnName = featureColumnName;
        options.HiddenSize = hiddenSize;
        options.NumberOfEpochs = numberOfEpochs;
        options.LearningRate = learningRate;
        options.BatchSize = batchSize;
        return options;
    }
}
