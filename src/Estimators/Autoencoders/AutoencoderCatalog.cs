using MLNetExt.Estimators.Autoencoders;
using MLNetExt.Transforms;
using MLNetExt.Transforms.Autoencoders;
using MLNetExt.Trainers.Autoencoders;

namespace Microsoft.ML;

/// <summary>
/// The autoencoder anomaly detector of <c>mlContext.AnomalyDetection.Trainers</c>, and the threshold change of its
/// models beside ML.NET's own <c>ChangeModelThreshold</c>.
/// </summary>
public static class AutoencoderCatalog
{
    /// <summary>An autoencoder anomaly detector; see <see cref="AutoencoderTrainer"/>.</summary>
    /// <param name="catalog">The anomaly detection trainers.</param>
    /// <param name="featureColumnName">The features column: a known-size vector of Single.</param>
    /// <param name="kind">The architecture.</param>
    /// <param name="hiddenLayers">The encoder's hidden widths (the decoder mirrors them); null means [64, 32].</param>
    /// <param name="codeSize">The code (bottleneck) width; at least 1.</param>
    /// <param name="contamination">The expected fraction of anomalies in the training data, in (0, 0.5]; it sets the threshold.</param>
    /// <param name="numberOfEpochs">The most passes over the data; at least 1.</param>
    public static AutoencoderTrainer Autoencoder(this AnomalyDetectionCatalog.AnomalyDetectionTrainers catalog,
        string featureColumnName = "Features", AutoencoderKind kind = AutoencoderKind.Dense, int[]? hiddenLayers = null,
        int codeSize = 16, double contamination = 0.1, int numberOfEpochs = 50)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        var options = new AutoencoderTrainer.Options
        {
            FeatureColumnName = featureColumnName,
            Kind = kind,
            CodeSize = codeSize,
            Contamination = contamination,
            NumberOfEpochs = numberOfEpochs,
        };
        if (hiddenLayers is not null)
            options.HiddenLayers = hiddenLayers;
        return new AutoencoderTrainer(MLNetInternals.Environment(catalog), options);
    }

    /// <summary>An autoencoder anomaly detector with every setting; see <see cref="AutoencoderTrainer"/>.</summary>
    /// <param name="catalog">The anomaly detection trainers.</param>
    /// <param name="options">The settings; checked and copied here.</param>
    public static AutoencoderTrainer Autoencoder(this AnomalyDetectionCatalog.AnomalyDetectionTrainers catalog, AutoencoderTrainer.Options options)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        return new AutoencoderTrainer(MLNetInternals.Environment(catalog), options);
    }

    /// <summary>The same autoencoder detector with PredictedLabel = Score &gt; <paramref name="threshold"/> (see <see cref="AutoencoderAnomalyTransformer.WithThreshold"/>).</summary>
    /// <param name="catalog">The anomaly detection catalog.</param>
    /// <param name="model">The trained or loaded detector.</param>
    /// <param name="threshold">The new threshold; finite.</param>
    public static AutoencoderAnomalyTransformer ChangeModelThreshold(this AnomalyDetectionCatalog catalog, AutoencoderAnomalyTransformer model, float threshold)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(model);
        return model.WithThreshold(threshold);
    }
}
