using MLNetExt.Trainers.DeepLearning;
using Microsoft.ML;

namespace MLNetExt.Estimators.DeepLearning;

/// <summary>
/// Thrown by a deep trainer's <c>Fit</c> when <see cref="DeepTrainerOptions.CancellationToken"/> is cancelled, as
/// ML.NET trainers throw <see cref="OperationCanceledException"/> when their context's execution is cancelled. Nothing
/// is lost: <see cref="PartialModel"/> is a complete, usable model holding the best weights trained so far.
/// </summary>
public sealed class TrainingCanceledException : OperationCanceledException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="partialModel">The model with the best weights so far.</param>
    /// <param name="result">What the interrupted run did.</param>
    /// <param name="cancellationToken">The token that was cancelled.</param>
    public TrainingCanceledException(ITransformer partialModel, DeepTrainingResult result, CancellationToken cancellationToken)
        : base(MessageOf(result), cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(partialModel);
        ArgumentNullException.ThrowIfNull(result);
        PartialModel = partialModel;
        Result = result;
    }

    /// <summary>
    /// The fitted model as it stood when training stopped: the weights of the best completed epoch (lowest monitored
    /// loss), or, when no epoch completed, the weights after the last finished batch.
    /// </summary>
    public ITransformer PartialModel { get; }

    /// <summary>What the interrupted run did.</summary>
    public DeepTrainingResult Result { get; }

    private static string MessageOf(DeepTrainingResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        return result.BestEpoch > 0
            ? $"Training was canceled after {result.EpochsCompleted} completed epoch(s); PartialModel holds the weights of epoch {result.BestEpoch}, the best so far."
            : "Training was canceled before the first epoch completed; PartialModel holds the weights after the last finished batch.";
    }
}
