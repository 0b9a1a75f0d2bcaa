using MLNetExt.Trainers.DeepLearning;

namespace MLNetExt.Samples.AnomalyDetection;

/// <summary>Prints the first epoch, every 25th and the last, synchronously on the training thread (so lines arrive in order).</summary>
public sealed class EpochPrinter : IProgress<TrainingProgress>
{
    /// <inheritdoc />
    public void Report(TrainingProgress value)
    {
        if (value.IsEpochEnd && (value.Epoch == 1 || value.Epoch % 25 == 0 || value.Epoch == value.TotalEpochs))
            Console.WriteLine($"epoch {value.Epoch,3}/{value.TotalEpochs}  train loss {value.TrainingLoss:F4}  validation loss {value.ValidationLoss:F4}  lr {value.LearningRate:G3}");
    }
}
