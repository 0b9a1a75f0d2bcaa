using Microsoft.ML.Runtime;
using MLNetExt.Trainers.Sequence;

namespace MLNetExt.Estimators.Sequence;

/// <summary>
/// Trains an LSTM, GRU or RNN sequence tagger (many-to-many): the features are a vector of token keys, the label a vector
/// of tag keys of the same length (a missing tag, key 0, is not trained on); outputs Score (ℓ·C per-token class
/// probabilities) and PredictedLabel (a vector of ℓ tag keys). Loss: cross-entropy over the tokens. A bidirectional
/// stack lets each tag depend on the words after it too.
/// Made by <c>mlContext.MulticlassClassification.Trainers.RecurrentTagger</c> (cell from the options), <c>.LstmTagger</c> or <c>.GruTagger</c>; see <see cref="SequenceTrainerOptions"/>.
/// </summary>
public sealed class SequenceTaggingTrainer : SequenceTrainerBase
{
    internal SequenceTaggingTrainer(IHostEnvironment context, Options options, SequenceCellType? cell = null)
        : base(context, options, SequenceTask.Tagging, cell)
    {
    }

    /// <summary>The settings of <see cref="SequenceTaggingTrainer"/>.</summary>
    public sealed class Options : SequenceTrainerOptions
    {
    }
}
