using Microsoft.ML.Runtime;
using MLNetExt.Trainers.DeepLearning;
using MLNetExt.Trainers.Mlp;

namespace MLNetExt.Estimators.Mlp;

/// <summary>
/// Trains a multi-layer perceptron for binary classification: Boolean label (or Single, 0 or 1); outputs Score (the raw logit), Probability and PredictedLabel (Boolean). Loss: binary cross-entropy on the logit.
/// Made by <c>mlContext.BinaryClassification.Trainers.Mlp</c>; see <see cref="MlpTrainerOptions"/> and
/// <see cref="DeepTrainerOptions"/> for the settings, progress reporting and cancellation.
/// </summary>
public sealed class MlpBinaryTrainer : MlpTrainerBase
{
    internal MlpBinaryTrainer(IHostEnvironment context, Options options)
        : base(context, options, MlpTask.BinaryClassification)
    {
    }

    /// <summary>The settings of <see cref="MlpBinaryTrainer"/>.</summary>
    public sealed class Options : MlpTrainerOptions
    {
    }
}
