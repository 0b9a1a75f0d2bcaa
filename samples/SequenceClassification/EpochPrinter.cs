using MLNetExt.Trainers.DeepLearning;

namespace MLNetExt.Samples.SequenceClassification;

/// <summary>Prints one line per epoch, synchronously on the training thread (so lines arrive in order).</summary>
public sealed class EpochPrinter : IProgress<TrainingProgress>
{
    /// <inheritdoc />
    public void Report(TrainingProgress value)
    {
        if (value.IsEpochEnd)
            Console.WriteLine($"epoch {value.Epoch}/{value.TotalEpochs}: loss {value.TrainingLoss:F4}, validation accuracy {value.ValidationMetric:F3}");
    }
}
