namespace MLNetExt.Trainers.WordEmbeddings;

/// <summary>
/// GloVe hyperparameters; defaults follow the Stanford C tool (<c>cooccur</c> and <c>glove</c>): a symmetric window
/// of 15 with 1/d weighting, x_max 100, α 0.75, AdaGrad with η 0.05 and initial squared-gradient sums of 1, 25
/// iterations, 50 dimensions; min_count 5 as in the tool's demo script.
/// </summary>
public sealed class GloVeOptions
{
    /// <summary>Embedding dimension D, at least 1. Default 50.</summary>
    public int VectorSize { get; set; } = 50;

    /// <summary>Context words counted on each side of a word, at least 1. Default 15.</summary>
    public int Window { get; set; } = 15;

    /// <summary>Count context words on both sides (the C tool's <c>-symmetric 1</c>). Default true.</summary>
    public bool Symmetric { get; set; } = true;

    /// <summary>Words seen fewer times are dropped; at least 1. Default 5.</summary>
    public int MinCount { get; set; } = 5;

    /// <summary>Keep at most this many of the most frequent words (the C tool's <c>-max-vocab</c>); null for no limit, else at least 1.</summary>
    public int? MaxVocab { get; set; }

    /// <summary>x_max of the weighting f(x) = min(1, (x / x_max)^α); positive. Default 100.</summary>
    public double XMax { get; set; } = 100;

    /// <summary>α of the weighting f(x) = min(1, (x / x_max)^α); positive. Default 0.75.</summary>
    public double WeightingExponent { get; set; } = 0.75;

    /// <summary>AdaGrad's initial learning rate η, positive. Default 0.05.</summary>
    public double LearningRate { get; set; } = 0.05;

    /// <summary>Passes over the co-occurrence records, at least 1. Default 25.</summary>
    public int Epochs { get; set; } = 25;

    /// <summary>Seed of the initial weights and of the record shuffle. Default 1.</summary>
    public ulong Seed { get; set; } = 1;

    /// <summary>Training threads (lock-free, as the C tool), at least 1. Default: the processor count; 1 is deterministic.</summary>
    public int Workers { get; set; } = Environment.ProcessorCount;

    /// <summary>Checks every option; the exception names the option that is out of range.</summary>
    /// <exception cref="ArgumentOutOfRangeException">An option is outside its documented range.</exception>
    public void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(VectorSize, 1, nameof(VectorSize));
        ArgumentOutOfRangeException.ThrowIfLessThan(Window, 1, nameof(Window));
        ArgumentOutOfRangeException.ThrowIfLessThan(MinCount, 1, nameof(MinCount));
        if (MaxVocab is int max) ArgumentOutOfRangeException.ThrowIfLessThan(max, 1, nameof(MaxVocab));
        if (!(XMax > 0 && double.IsFinite(XMax))) throw new ArgumentOutOfRangeException(nameof(XMax), XMax, "XMax must be positive and finite.");
        if (!(WeightingExponent > 0 && double.IsFinite(WeightingExponent))) throw new ArgumentOutOfRangeException(nameof(WeightingExponent), WeightingExponent, "WeightingExponent must be positive and finite.");
        if (!(LearningRate > 0 && double.IsFinite(LearningRate))) throw new ArgumentOutOfRangeException(nameof(LearningRate), LearningRate, "LearningRate must be positive and finite.");
        ArgumentOutOfRangeException.ThrowIfLessThan(Epochs, 1, nameof(Epochs));
        ArgumentOutOfRangeException.ThrowIfLessThan(Workers, 1, nameof(Workers));
    }
}
