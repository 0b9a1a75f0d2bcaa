using MLNetExt.Trainers.DeepLearning;
using MLNetExt.Trainers.Sequence;

namespace MLNetExt.Trainers.SequenceToSequence;

/// <summary>
/// The settings of <see cref="SequenceToSequenceTrainer"/>: the network's shape, the vocabularies, and the training
/// loop's (batch size, epochs, Adam's learning rate, gradient clipping at norm 5, a 10% validation hold-out with early
/// stopping after 5 epochs without improvement).
/// </summary>
public sealed class SequenceToSequenceTrainerOptions : DeepTrainerOptions
{
    /// <summary>The most tokens a source or target text may have; a longer one is an error naming the row.</summary>
    public const int TokenLimit = 10_000;

    /// <summary>Defaults for small models on a CPU.</summary>
    public SequenceToSequenceTrainerOptions()
    {
        NumberOfEpochs = 30;
        EarlyStoppingPatience = 5;
        GradientClipNorm = 5;
    }

    /// <summary>The tokens of the source and target texts: characters (default: spelling, dates, codes, transliteration) or words.</summary>
    public TextUnit Tokens { get; set; } = TextUnit.Characters;

    /// <summary>The recurrent cell: LSTM (default) or GRU.</summary>
    public SequenceCellType Cell { get; set; } = SequenceCellType.Lstm;

    /// <summary>E, the token embedding width.</summary>
    public int EmbeddingSize { get; set; } = 64;

    /// <summary>H, the decoder state and encoder output width.</summary>
    public int HiddenSize { get; set; } = 128;

    /// <summary>Stacked encoder layers.</summary>
    public int EncoderLayers { get; set; } = 1;

    /// <summary>Whether the encoder reads the source both ways.</summary>
    public bool BidirectionalEncoder { get; set; } = true;

    /// <summary>The attention score (see <see cref="SequenceToSequenceAttention"/>).</summary>
    public SequenceToSequenceAttention Attention { get; set; } = SequenceToSequenceAttention.Additive;

    /// <summary>Luong input feeding, for the dot and general scores.</summary>
    public bool InputFeeding { get; set; } = true;

    /// <summary>One vocabulary and one embedding for both sides (for tasks that copy much of the source, such as spelling correction).</summary>
    public bool SharedEmbedding { get; set; }

    /// <summary>Dropout on embeddings and attentional states, in [0, 1).</summary>
    public float Dropout { get; set; } = 0.1f;

    /// <summary>ε of label smoothing, in [0, 1).</summary>
    public float LabelSmoothing { get; set; } = 0.1f;

    /// <summary>The probability, per row and step, of feeding the model's own previous prediction instead of the reference's token (scheduled sampling), in [0, 1].</summary>
    public float ScheduledSamplingRate { get; set; }

    /// <summary>Tokens seen fewer times in training are <c>&lt;unk&gt;</c>.</summary>
    public int MinTokenCount { get; set; } = 1;

    /// <summary>The most tokens each vocabulary keeps (the most frequent).</summary>
    public int MaximumVocabularySize { get; set; } = 50_000;

    /// <summary>The most tokens a training source or target may have, at most <see cref="TokenLimit"/>.</summary>
    public int MaximumTokens { get; set; } = 500;

    /// <summary>Checks every setting; the message names the first one out of range.</summary>
    /// <exception cref="ArgumentException">A setting is out of range.</exception>
    public void Check()
    {
        if (BatchSize < 1) throw new ArgumentException($"{nameof(BatchSize)} must be at least 1; got {BatchSize}.", nameof(BatchSize));
        if (NumberOfEpochs < 1) throw new ArgumentException($"{nameof(NumberOfEpochs)} must be at least 1; got {NumberOfEpochs}.", nameof(NumberOfEpochs));
        if (!(LearningRate > 0 && double.IsFinite(LearningRate))) throw new ArgumentException($"{nameof(LearningRate)} must be a positive number; got {LearningRate}.", nameof(LearningRate));
        if (!(ValidationFraction is >= 0 and < 1)) throw new ArgumentException($"{nameof(ValidationFraction)} must be in [0, 1); got {ValidationFraction}.", nameof(ValidationFraction));
        if (!(LabelSmoothing is >= 0 and < 1)) throw new ArgumentException($"{nameof(LabelSmoothing)} must be in [0, 1); got {LabelSmoothing}.", nameof(LabelSmoothing));
        if (!(ScheduledSamplingRate is >= 0 and <= 1)) throw new ArgumentException($"{nameof(ScheduledSamplingRate)} must be in [0, 1]; got {ScheduledSamplingRate}.", nameof(ScheduledSamplingRate));
        if (MinTokenCount < 1) throw new ArgumentException($"{nameof(MinTokenCount)} must be at least 1; got {MinTokenCount}.", nameof(MinTokenCount));
        if (MaximumVocabularySize is < 1 or > SequenceToSequenceArchitecture.MaximumSize) throw new ArgumentException($"{nameof(MaximumVocabularySize)} must be in [1, {SequenceToSequenceArchitecture.MaximumSize:N0}]; got {MaximumVocabularySize}.", nameof(MaximumVocabularySize));
        if (MaximumTokens is < 1 or > TokenLimit) throw new ArgumentException($"{nameof(MaximumTokens)} must be in [1, {TokenLimit:N0}]; got {MaximumTokens}.", nameof(MaximumTokens));
        Architecture(SequenceToSequenceArchitecture.MaximumSize, SequenceToSequenceArchitecture.MaximumSize).Check();
    }

    /// <summary>The network's shape for vocabularies of the given sizes.</summary>
    public SequenceToSequenceArchitecture Architecture(int sourceVocabularySize, int targetVocabularySize) => new()
    {
        SourceVocabularySize = sourceVocabularySize,
        TargetVocabularySize = targetVocabularySize,
        Cell = Cell,
        EmbeddingSize = EmbeddingSize,
        HiddenSize = HiddenSize,
        EncoderLayers = EncoderLayers,
        BidirectionalEncoder = BidirectionalEncoder,
        Attention = Attention,
        InputFeeding = InputFeeding,
        SharedEmbedding = SharedEmbedding,
        Dropout = Dropout,
    };
}
