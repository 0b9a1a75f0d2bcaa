using Microsoft.ML.Runtime;
using MLNetExt.Trainers.Sequence;

namespace MLNetExt.Estimators.Sequence;

/// <summary>
/// Trains an LSTM, GRU or RNN many-to-one binary classifier over token keys or float steps: Boolean label (or Single, 0 or
/// 1); outputs Score (the logit), Probability and PredictedLabel (Boolean). Loss: binary cross-entropy on the logit.
/// Made by <c>mlContext.BinaryClassification.Trainers.Recurrent</c> (cell from the options), <c>.Lstm</c> or <c>.Gru</c>; see <see cref="SequenceTrainerOptions"/>.
/// </summary>
public sealed class SequenceBinaryTrainer : SequenceTrainerBase
{
    internal SequenceBinaryTrainer(IHostEnvironment context, Options options, SequenceCellType? cell = null)
        : base(context, options, SequenceTask.BinaryClassification, cell)
    {
    }

    /// <summary>The settings of <see cref="SequenceBinaryTrainer"/>.</summary>
    public sealed class Options : SequenceTrainerOptions
    {
    }
}
