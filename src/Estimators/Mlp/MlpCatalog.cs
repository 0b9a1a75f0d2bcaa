using MLNetExt.Estimators.Mlp;
using MLNetExt.Transforms;
using MLNetExt.Trainers.Mlp;

namespace Microsoft.ML;

/// <summary>
/// The multi-layer perceptron trainers of the task catalogs: <c>mlContext.BinaryClassification.Trainers.Mlp</c>,
/// <c>mlContext.MulticlassClassification.Trainers.Mlp</c> and <c>mlContext.Regression.Trainers.Mlp</c>.
/// </summary>
public static class MlpCatalog
{
    /// <summary>A multi-layer perceptron binary classifier; see <see cref="MlpBinaryTrainer"/>.</summary>
    /// <param name="catalog">The binary classification trainers.</param>
    /// <param name="labelColumnName">The label column: Boolean, or Single holding 0 or 1.</param>
    /// <param name="featureColumnName">The features column: a known-size vector of Single.</param>
    /// <param name="hiddenLayers">The hidden layer widths; null means one layer of 64.</param>
    /// <param name="numberOfEpochs">The most passes over the data; at least 1.</param>
    /// <param name="learningRate">The initial learning rate; greater than 0.</param>
    /// <param name="batchSize">The rows per gradient step; at least 1.</param>
    public static MlpBinaryTrainer Mlp(this BinaryClassificationCatalog.BinaryClassificationTrainers catalog,
        string labelColumnName = "Label", string featureColumnName = "Features", int[]? hiddenLayers = null,
        int numberOfEpochs = 100, double learningRate = 0.01, int batchSize = 32)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        return new MlpBinaryTrainer(MLNetInternals.Environment(catalog), Fill(new MlpBinaryTrainer.Options(), labelColumnName, featureColumnName, hiddenLayers, numberOfEpochs, learningRate, batchSize));
    }

    /// <summary>A multi-layer perceptron binary classifier with every setting; see <see cref="MlpBinaryTrainer"/>.</summary>
    /// <param name="catalog">The binary classification trainers.</param>
    /// <param name="options">The settings; checked and copied here.</param>
    public static MlpBinaryTrainer Mlp(this BinaryClassificationCatalog.BinaryClassificationTrainers catalog, MlpBinaryTrainer.Options options)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        return new MlpBinaryTrainer(MLNetInternals.Environment(catalog), options);
    }

    /// <summary>A multi-layer perceptron multiclass classifier; see <see cref="MlpMulticlassTrainer"/>.</summary>
    /// <param name="catalog">The multiclass classification trainers.</param>
    /// <param name="labelColumnName">The label column: a key type (e.g. made by <c>MapValueToKey</c>), one class per key.</param>
    /// <param name="featureColumnName">The features column: a known-size vector of Single.</param>
    /// <param name="hiddenLayers">The hidden layer widths; null means one layer of 64.</param>
    /// <param name="numberOfEpochs">The most passes over the data; at least 1.</param>
    /// <param name="learningRate">The initial learning rate; greater than 0.</param>
    /// <param name="batchSize">The rows per gradient step; at least 1.</param>
    public static MlpMulticlassTrainer Mlp(this MulticlassClassificationCatalog.MulticlassClassificationTrainers catalog,
        string labelColumnName = "Label", string featureColumnName = "Features", int[]? hiddenLayers = null,
        int numberOfEpochs = 100, double learningRate = 0.01, int batchSize = 32)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        return new MlpMulticlassTrainer(MLNetInternals.Environment(catalog), Fill(new MlpMulticlassTrainer.Options(), labelColumnName, featureColumnName, hiddenLayers, numberOfEpochs, learningRate, batchSize));
    }

    /// <summary>A multi-layer perceptron multiclass classifier with every setting; see <see cref="MlpMulticlassTrainer"/>.</summary>
    /// <param name="catalog">The multiclass classification trainers.</param>
    /// <param name="options">The settings; checked and copied here.</param>
    public static MlpMulticlassTrainer Mlp(this MulticlassClassificationCatalog.MulticlassClassificationTrainers catalog, MlpMulticlassTrainer.Options options)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        return new MlpMulticlassTrainer(MLNetInternals.Environment(catalog), options);
    }

    /// <summary>A multi-layer perceptron regressor; see <see cref="MlpRegressionTrainer"/>.</summary>
    /// <param name="catalog">The regression trainers.</param>
    /// <param name="labelColumnName">The label column: Single.</param>
    /// <param name="featureColumnName">The features column: a known-size vector of Single.</param>
    /// <param name="hiddenLayers">The hidden layer widths; null means one layer of 64.</param>
    /// <param name="numberOfEpochs">The most passes over the data; at least 1.</param>
    /// <param name="learningRate">The initial learning rate; greater than 0.</param>
    /// <param name="batchSize">The rows per gradient step; at least 1.</param>
    public static MlpRegressionTrainer Mlp(this RegressionCatalog.RegressionTrainers catalog,
        string labelColumnName = "Label", string featureColumnName = "Features", int[]? hiddenLayers = null,
        int numberOfEpochs = 100, double learningRate = 0.01, int batchSize = 32)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        return new MlpRegressionTrainer(MLNetInternals.Environment(catalog), Fill(new MlpRegressionTrainer.Options(), labelColumnName, featureColumnName, hiddenLayers, numberOfEpochs, learningRate, batchSize));
    }

    /// <summary>A multi-layer perceptron regressor with every setting; see <see cref="MlpRegressionTrainer"/>.</summary>
    /// <param name="catalog">The regression trainers.</param>
    /// <param name="options">The settings; checked and copied here.</param>
    public static MlpRegressionTrainer Mlp(this RegressionCatalog.RegressionTrainers catalog, MlpRegressionTrainer.Options options)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        return new MlpRegressionTrainer(MLNetInternals.Environment(catalog), options);
    }

    private static TOptions Fill<TOptions>(TOptions options, string labelColumnName, string featureColumnName, int[]? hiddenLayers,
        int numberOfEpochs, double learningRate, int batchSize)
        where TOptions : MlpTrainerOptions
    {
        options.LabelColumnName = labelColumnName;
        options.FeatureColumnName = featureColumnName;
        options.HiddenLayers = hiddenLayers ?? [64];
        options.NumberOfEpochs = numberOfEpochs;
        options.LearningRate = learningRate;
        options.BatchSize = batchSize;
        return options;
    }
}
