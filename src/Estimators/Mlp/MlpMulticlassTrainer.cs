using Microsoft.ML.Runtime;
using MLNetExt.Trainers.DeepLearning;
using MLNetExt.Trainers.Mlp;

namespace MLNetExt.Estimators.Mlp;

/// <summary>
/// Trains a multi-layer perceptron for multiclass classification: key label (as ML.NET's multiclass trainers, e.g. from MapValueToKey), one output per key value; outputs Score (per-class probabilities) and PredictedLabel (the label's key type, carrying its KeyValues annotation). Loss: cross-entropy.
/// Made by <c>mlContext.MulticlassClassification.Trainers.Mlp</c>; see <see cref="MlpTrainerOptions"/> and
/// <see cref="DeepTrainerOptions"/> for the settings, progress reporting and cancellation.
/// </summary>
public sealed class MlpMulticlassTrainer : MlpTrainerBase
{
    internal MlpMulticlassTrainer(IHostEnvironment context, Options options)
        : base(context, options, MlpTask.MulticlassClassification)
    {
    }

    /// <summary>The settings of <see cref="MlpMulticlassTrainer"/>.</summary>
    public sealed class Options : MlpTrainerOptions
    {
    }
}
