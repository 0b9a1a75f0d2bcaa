using MLNetExt.Trainers.Sequence;

namespace MLNetExt.Trainers.SequenceToSequence;

/// <summary>The shape of a <see cref="SequenceToSequenceNetwork"/>.</summary>
public sealed record SequenceToSequenceArchitecture
{
    /// <summary>The largest vocabulary, embedding or hidden size accepted, so that a setting read from a file cannot ask for an absurd allocation.</summary>
    public const int MaximumSize = 1 << 20;

    /// <summary>V_s, the source vocabulary's size, specials included.</summary>
    public int SourceVocabularySize { get; init; }

    /// <summary>V_t, the target vocabulary's size, specials included.</summary>
    public int TargetVocabularySize { get; init; }

    /// <summary>The recurrent cell of the encoder and the decoder: <see cref="SequenceCellType.Lstm"/> or <see cref="SequenceCellType.Gru"/>.</summary>
    public SequenceCellType Cell { get; init; } = SequenceCellType.Lstm;

    /// <summary>E, the width of each token's embedding.</summary>
    public int EmbeddingSize { get; init; } = 64;

    /// <summary>H, the decoder state's width and the encoder outputs' width (each direction of a bidirectional encoder has H/2, so H must be even then).</summary>
    public int HiddenSize { get; init; } = 128;

    /// <summary>Stacked encoder layers.</summary>
    public int EncoderLayers { get; init; } = 1;

    /// <summary>Whether the encoder reads the source both ways.</summary>
    public bool BidirectionalEncoder { get; init; } = true;

    /// <summary>The attention score; see <see cref="SequenceToSequenceAttention"/>.</summary>
    public SequenceToSequenceAttention Attention { get; init; } = SequenceToSequenceAttention.Additive;

    /// <summary>A, the width of the additive score's hidden layer; null means H.</summary>
    public int? AttentionSize { get; init; }

    /// <summary>For the Luong scores: whether each step's input also carries the previous attentional state h̃_{t−1} (Luong's input feeding). The additive decoder always feeds the context.</summary>
    public bool InputFeeding { get; init; } = true;

    /// <summary>Whether the source and target share one embedding (one vocabulary for both sides).</summary>
    public bool SharedEmbedding { get; init; }

    /// <summary>The dropout rate on embeddings and on the attentional state, in [0, 1).</summary>
    public float Dropout { get; init; } = 0.1f;

    /// <summary>The width of the encoder's outputs, H.</summary>
    public int EncoderOutputSize => HiddenSize;

    /// <summary>The hidden size of each encoder direction: H/2 when bidirectional, else H.</summary>
    public int EncoderDirectionSize => BidirectionalEncoder ? HiddenSize / 2 : HiddenSize;

    /// <summary>The width of the decoder cell's input: E, plus H for the fed context (additive) or the fed attentional state (input feeding).</summary>
    public int DecoderInputSize => EmbeddingSize + (Attention == SequenceToSequenceAttention.Additive || InputFeeding ? HiddenSize : 0);

    /// <summary>Checks every setting; the message names the first one out of range.</summary>
    /// <exception cref="ArgumentException">A setting is out of range.</exception>
    public void Check()
    {
        static void Size(int value, int low, string name)
        {
            if (value < low || value > MaximumSize)
                throw new ArgumentException($"{name} must be in [{low}, {MaximumSize:N0}]; got {value}.", name);
        }
        Size(SourceVocabularySize, 5, nameof(SourceVocabularySize));
        Size(TargetVocabularySize, 5, nameof(TargetVocabularySize));
        Size(EmbeddingSize, 1, nameof(EmbeddingSize));
        Size(HiddenSize, BidirectionalEncoder ? 2 : 1, nameof(HiddenSize));
        Size(AttentionSize ?? HiddenSize, 1, nameof(AttentionSize));
        if (EncoderLayers is < 1 or > 16)
            throw new ArgumentException($"{nameof(EncoderLayers)} must be in [1, 16]; got {EncoderLayers}.", nameof(EncoderLayers));
        if (Cell is not (SequenceCellType.Lstm or SequenceCellType.Gru))
            throw new ArgumentException($"{nameof(Cell)} must be Lstm or Gru; got {Cell}.", nameof(Cell));
        if (!Enum.IsDefined(Attention))
            throw new ArgumentException($"{nameof(Attention)} is not a {nameof(SequenceToSequenceAttention)}: {Attention}.", nameof(Attention));
        if (BidirectionalEncoder && HiddenSize % 2 != 0)
            throw new ArgumentException($"A bidirectional encoder splits {nameof(HiddenSize)} between its directions, so it must be even; got {HiddenSize}.", nameof(HiddenSize));
        if (!(Dropout >= 0 && Dropout < 1))
            throw new ArgumentException($"{nameof(Dropout)} must be in [0, 1); got {Dropout}.", nameof(Dropout));
        if (SharedEmbedding && SourceVocabularySize != TargetVocabularySize)
            throw new ArgumentException($"A shared embedding needs one vocabulary for both sides; got {SourceVocabularySize} source and {TargetVocabularySize} target ids.", nameof(SharedEmbedding));
    }
}
