namespace MLNetExt.Trainers.Sequence;

/// <summary>The shape of a sequence network: everything needed to rebuild it before its weights are loaded (saved with the model).</summary>
internal sealed class SequenceArchitecture
{
    public SequenceTask Task { get; set; }

    public SequenceCellType Cell { get; set; }

    public SequenceInputKind InputKind { get; set; }

    /// <summary>Rows of the embedding table: the key count plus one (row 0 is the missing key, used as padding).</summary>
    public int VocabularySize { get; set; }

    public int EmbeddingDimension { get; set; }

    /// <summary>Values per step of a float input (F).</summary>
    public int StepSize { get; set; } = 1;

    public int HiddenSize { get; set; }

    public int NumberOfLayers { get; set; }

    public bool Bidirectional { get; set; }

    public float Dropout { get; set; }

    public SequencePooling Pooling { get; set; }

    /// <summary>Logits per row (classification), per token (tagging), or Horizon (forecasting).</summary>
    public int OutputCount { get; set; }

    /// <summary>Values per step the recurrent stack reads: the embedding width for keys, F for floats.</summary>
    public int RecurrentInputSize => InputKind == SequenceInputKind.Keys ? EmbeddingDimension : StepSize;

    /// <summary>Floats per step in the packed input row: one key id, or F values.</summary>
    public int PackedStepWidth => InputKind == SequenceInputKind.Keys ? 1 : StepSize;

    public int Directions => Bidirectional ? 2 : 1;

    /// <summary>Null when the settings are known and in range, otherwise what is wrong (the task's rule on the output count is PredictionTask's).</summary>
    public string? Problem()
    {
        if (!Enum.IsDefined(Task) || !Enum.IsDefined(Cell) || !Enum.IsDefined(InputKind) || !Enum.IsDefined(Pooling))
            return "an enumerated setting is unknown";
        if (HiddenSize < 1 || NumberOfLayers < 1 || OutputCount < 1 || !(Dropout >= 0 && Dropout < 1))
            return "its hidden size, layer count, output count or dropout is out of range";
        if (InputKind == SequenceInputKind.Keys ? VocabularySize < 2 || EmbeddingDimension < 1 : StepSize < 1)
            return "its input (vocabulary, embedding width or step size) is out of range";
        return null;
    }
}
