using MLNetExt.Trainers.DeepLearning;

namespace MLNetExt.Trainers.Sequence;

/// <summary>
/// The settings every sequence trainer shares: the columns, the input (embedding for keys, step size for floats), the
/// recurrent stack, and the common deep-trainer settings of <see cref="DeepTrainerOptions"/>. Checked when the
/// trainer is created; never written to.
/// </summary>
/// <remarks>
/// Defaults that differ from the common ones: learning rate 0.005, and gradient clipping on (total norm 1), the recipe
/// recurrent networks need against exploding gradients.
/// </remarks>
public abstract class SequenceTrainerOptions : DeepTrainerOptions
{
    /// <summary>Sets the sequence trainers' defaults where they differ from the common ones.</summary>
    protected SequenceTrainerOptions()
    {
        LearningRate = 0.005;
        GradientClipNorm = 1.0;
    }

    /// <summary>The label column; required. Its type depends on the task (see each trainer).</summary>
    public string LabelColumnName { get; set; } = "Label";

    /// <summary>
    /// The features column; required. Either a vector of keys (tokens, e.g. <c>MapValueToKey</c> over
    /// <c>TokenizeIntoWords</c>; variable or known size), fed to a trainable embedding, or a vector of Single holding
    /// T steps of <see cref="StepSize"/> values each.
    /// </summary>
    public string FeatureColumnName { get; set; } = "Features";

    /// <summary>
    /// The recurrent cell of every layer: <see cref="SequenceCellType.Lstm"/> (the default), <see cref="SequenceCellType.Gru"/>
    /// or <see cref="SequenceCellType.Rnn"/> (tanh). The catalogs' Lstm and Gru methods set it.
    /// </summary>
    public SequenceCellType Cell { get; set; } = SequenceCellType.Lstm;

    /// <summary>The hidden width H of every recurrent layer (and direction); at least 1. Default 32.</summary>
    public int HiddenSize { get; set; } = 32;

    /// <summary>The number of stacked recurrent layers; at least 1. Default 1.</summary>
    public int NumberOfLayers { get; set; } = 1;

    /// <summary>Whether each layer also reads the sequence backward (its output is then [h→; h←], 2·H wide).</summary>
    public bool Bidirectional { get; set; }

    /// <summary>
    /// The dropout probability while training, in [0, 1): between stacked layers and before the output layer;
    /// 0 (the default) adds none.
    /// </summary>
    public float Dropout { get; set; }

    /// <summary>How a many-to-one model summarizes the sequence (last valid state by default); ignored by the tagger.</summary>
    public SequencePooling Pooling { get; set; } = SequencePooling.Last;

    /// <summary>The width of the token embedding for key input; at least 1. Default 32. Ignored for float input.</summary>
    public int EmbeddingDimension { get; set; } = 32;

    /// <summary>
    /// Initial embedding vectors for key input: a [key count, <see cref="EmbeddingDimension"/>] matrix whose row k − 1
    /// is key k's vector (all finite); null (the default) draws them from N(0, 1) as <c>torch.nn.Embedding</c> does.
    /// </summary>
    public float[,]? InitialEmbeddings { get; set; }

    /// <summary>
    /// Provides initial embedding vectors by token for key input: called with each key's value as text (from the
    /// column's <c>KeyValues</c> annotation), it returns a vector of <see cref="EmbeddingDimension"/> finite floats, or
    /// null to keep the key's random (or <see cref="InitialEmbeddings"/>) vector. Applied after
    /// <see cref="InitialEmbeddings"/>. A word2vec model plugs in here.
    /// </summary>
    public Func<string, float[]?>? EmbeddingProvider { get; set; }

    /// <summary>Whether the embedding stays fixed during training (useful with pretrained vectors); false fine-tunes it.</summary>
    public bool FreezeEmbeddings { get; set; }

    /// <summary>The values per step F of a float features column (its length must be a multiple of F); at least 1. Ignored for key input.</summary>
    public int StepSize { get; set; } = 1;

    internal override void Validate()
    {
        if (string.IsNullOrEmpty(LabelColumnName))
            throw new ArgumentException($"Option {nameof(LabelColumnName)} needs a column name.", nameof(LabelColumnName));
        if (string.IsNullOrEmpty(FeatureColumnName))
            throw new ArgumentException($"Option {nameof(FeatureColumnName)} needs a column name.", nameof(FeatureColumnName));
        if (!Enum.IsDefined(Cell))
            throw Bad(nameof(Cell), Cell, "must be Lstm, Gru or Rnn");
        if (HiddenSize < 1)
            throw Bad(nameof(HiddenSize), HiddenSize, "must be at least 1");
        if (NumberOfLayers < 1)
            throw Bad(nameof(NumberOfLayers), NumberOfLayers, "must be at least 1");
        if (!(Dropout >= 0 && Dropout < 1))
            throw Bad(nameof(Dropout), Dropout, "must lie in [0, 1)");
        if (!Enum.IsDefined(Pooling))
            throw Bad(nameof(Pooling), Pooling, "must be Last, Mean or Max");
        if (EmbeddingDimension < 1)
            throw Bad(nameof(EmbeddingDimension), EmbeddingDimension, "must be at least 1");
        if (StepSize < 1)
            throw Bad(nameof(StepSize), StepSize, "must be at least 1");
        if (InitialEmbeddings is { } matrix)
        {
            if (matrix.GetLength(1) != EmbeddingDimension)
                throw new ArgumentException($"Option {nameof(InitialEmbeddings)} has {matrix.GetLength(1)} columns; expected {nameof(EmbeddingDimension)} = {EmbeddingDimension}.", nameof(InitialEmbeddings));
            foreach (float value in matrix)
            {
                if (!float.IsFinite(value))
                    throw new ArgumentException($"Option {nameof(InitialEmbeddings)} holds {value}; every value must be finite.", nameof(InitialEmbeddings));
            }
        }
        base.Validate();
    }

    /// <summary>A copy that shares nothing mutable with these options.</summary>
    internal SequenceTrainerOptions Copy()
    {
        var copy = (SequenceTrainerOptions)CopyShallow();
        copy.InitialEmbeddings = (float[,]?)InitialEmbeddings?.Clone();
        return copy;
    }
}
