using MLNetExt.Core.Modules.Attention;
using MLNetExt.Trainers.Sequence;

namespace MLNetExt.Trainers.Attention;

/// <summary>The shape of an attention classifier network: everything needed to rebuild it before its weights are loaded (saved with the model).</summary>
internal sealed class AttentionArchitecture
{
    public AttentionClassifierKind Kind { get; set; }

    /// <summary>Rows of the embedding table: the key count plus one (row 0 is the missing key, used as padding).</summary>
    public int VocabularySize { get; set; }

    /// <summary>The embedding width (d_model for the transformer).</summary>
    public int EmbeddingDimension { get; set; }

    /// <summary>Logits per row.</summary>
    public int OutputCount { get; set; }

    /// <summary>Dropout before the head (and, for the transformer, inside every encoder layer).</summary>
    public float Dropout { get; set; }

    /// <summary>The recurrent cell of the recurrent and hierarchical networks (Lstm or Gru).</summary>
    public SequenceCellType Cell { get; set; } = SequenceCellType.Gru;

    /// <summary>The hidden width of each direction of the (word-level) recurrent layers.</summary>
    public int HiddenSize { get; set; } = 64;

    /// <summary>The number of stacked recurrent layers (at each level).</summary>
    public int NumberOfLayers { get; set; } = 1;

    /// <summary>Whether the recurrent layers run both ways.</summary>
    public bool Bidirectional { get; set; } = true;

    /// <summary>A, the hidden width of the additive attention scores.</summary>
    public int AttentionSize { get; set; } = 64;

    /// <summary>The hidden width of each direction of the sentence-level recurrent layers (hierarchical network).</summary>
    public int SentenceHiddenSize { get; set; } = 64;

    /// <summary>S, the sentences per document a hierarchical row holds.</summary>
    public int MaxSentences { get; set; } = 1;

    /// <summary>W, the words per sentence a hierarchical row holds.</summary>
    public int MaxWords { get; set; } = 1;

    /// <summary>The attention heads of each transformer layer.</summary>
    public int Heads { get; set; } = 4;

    /// <summary>The number of transformer encoder layers.</summary>
    public int EncoderLayers { get; set; } = 2;

    /// <summary>The feed-forward width of each transformer layer.</summary>
    public int FeedforwardSize { get; set; } = 512;

    /// <summary>Pre-norm transformer layers (with a final layer norm) when true; post-norm when false.</summary>
    public bool NormFirst { get; set; }

    /// <summary>The transformer layers' feed-forward activation.</summary>
    public TransformerActivation Activation { get; set; }

    /// <summary>The transformer's positional encoding.</summary>
    public PositionalEncodingKind PositionalEncoding { get; set; }

    /// <summary>The longest token sequence the transformer's positional table covers.</summary>
    public int MaxLength { get; set; } = 512;

    /// <summary>How the transformer pools its outputs.</summary>
    public TransformerPooling Pooling { get; set; }

    public int Directions => Bidirectional ? 2 : 1;

    /// <summary>Null when the settings are known and in range, otherwise what is wrong.</summary>
    public string? Problem()
    {
        if (!Enum.IsDefined(Kind) || !Enum.IsDefined(Cell) || !Enum.IsDefined(Activation) || !Enum.IsDefined(PositionalEncoding) || !Enum.IsDefined(Pooling))
            return "an enumerated setting is unknown";
        if (VocabularySize < 2 || EmbeddingDimension < 1 || OutputCount < 1 || !(Dropout >= 0 && Dropout < 1))
            return "its vocabulary, embedding width, output count or dropout is out of range";
        return Kind switch
        {
            AttentionClassifierKind.Transformer when Heads < 1 || EmbeddingDimension % Heads != 0 => "the embedding width is not a multiple of the head count",
            AttentionClassifierKind.Transformer when EncoderLayers < 1 || FeedforwardSize < 1 || MaxLength < 1 => "its layer count, feed-forward width or maximum length is out of range",
            AttentionClassifierKind.Transformer => null,
            _ when Cell == SequenceCellType.Rnn => "the recurrent cell must be Lstm or Gru",
            _ when HiddenSize < 1 || NumberOfLayers < 1 || AttentionSize < 1 => "its hidden size, layer count or attention width is out of range",
            AttentionClassifierKind.Hierarchical when SentenceHiddenSize < 1 || MaxSentences < 1 || MaxWords < 1 => "its sentence hidden size, sentence count or sentence length is out of range",
            _ => null,
        };
    }
}
