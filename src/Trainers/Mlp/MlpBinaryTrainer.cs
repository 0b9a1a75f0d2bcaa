using MLNetExt.Data;

namespace MLNetExt.Trainers.Mlp;

/// <summary>
/// Trains a multi-layer perceptron for binary classification: Boolean label (or Single, 0 or 1); outputs Score (the raw logit), Probability and PredictedLabel (Boolean). Loss: binary cross-entropy on the logit.
/// Made by <c>mlContext.BinaryClassification.Trainers.Mlp</c>; see <see cref="MlpTrainerOptions"/> and
/// <see cref="DeepLearning.DeepTrainerOptions"/> for the settings, progress reporting and cancellation.
/// </summary>
public sealed class MlpBinaryTrainer : MlpTrainerBase
{
    internal MlpBinaryTrainer(MLContext context, Options options)
        : base(context, options, MlpTask.BinaryClassification)
    {
    }

    /// <summary>The settings of <see cref="MlpBinaryTrainer"/>.</summary>
    public sealed class Options : MlpTrainerOptions
    {
    }
}
