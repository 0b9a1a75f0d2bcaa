using Microsoft.ML.Runtime;
using MLNetExt.Trainers.Sequence;

namespace MLNetExt.Estimators.Sequence;

/// <summary>
/// Trains an LSTM, GRU or RNN many-to-one multiclass classifier over token keys or float steps: key label; outputs Score
/// (class probabilities) and PredictedLabel (the label's key type with its KeyValues). Loss: cross-entropy.
/// Made by <c>mlContext.MulticlassClassification.Trainers.Recurrent</c> (cell from the options), <c>.Lstm</c> or <c>.Gru</c>; see <see cref="SequenceTrainerOptions"/>.
/// </summary>
public sealed class SequenceMulticlassTrainer : SequenceTrainerBase
{
    internal SequenceMulticlassTrainer(IHostEnvironment context, Options options, SequenceCellType? cell = null)
        : base(context, options, SequenceTask.MulticlassClassification, cell)
    {
    }

    /// <summary>The settings of <see cref="SequenceMulticlassTrainer"/>.</summary>
    public sealed class Options : SequenceTrainerOptions
    {
    }
}
