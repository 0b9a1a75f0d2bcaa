using Microsoft.ML.Runtime;
using MLNetExt.Trainers.DeepLearning;
using MLNetExt.Trainers.Mlp;

namespace MLNetExt.Estimators.Mlp;

/// <summary>
/// Trains a multi-layer perceptron for regression: Single label; outputs Score. Loss: mean squared error.
/// Made by <c>mlContext.Regression.Trainers.Mlp</c>; see <see cref="MlpTrainerOptions"/> and
/// <see cref="DeepTrainerOptions"/> for the settings, progress reporting and cancellation.
/// </summary>
public sealed class MlpRegressionTrainer : MlpTrainerBase
{
    internal MlpRegressionTrainer(IHostEnvironment context, Options options)
        : base(context, options, MlpTask.Regression)
    {
    }

    /// <summary>The settings of <see cref="MlpRegressionTrainer"/>.</summary>
    public sealed class Options : MlpTrainerOptions
    {
    }
}
