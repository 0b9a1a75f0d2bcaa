namespace MLNetExt.Trainers.WordEmbeddings;

/// <summary>
/// Word2Vec hyperparameters. Every default equals gensim 4.2's <c>Word2Vec</c> default (CBOW with mean,
/// negative sampling with 5 noise words, no hierarchical softmax), except <see cref="Workers"/>.
/// </summary>
public sealed class Word2VecOptions
{
    /// <summary>Embedding dimension (gensim <c>vector_size</c>), at least 1. Default 100.</summary>
    public int VectorSize { get; set; } = 100;

    /// <summary>
    /// Largest distance between the centre word and a context word, at least 1. Default 5. With
    /// <see cref="ShrinkWindows"/> the window actually used for each centre word is drawn uniformly in 1..Window.
    /// </summary>
    public int Window { get; set; } = 5;

    /// <summary>Words seen fewer times are dropped from the vocabulary; at least 1. Default 5.</summary>
    public int MinCount { get; set; } = 5;

    /// <summary>Keep at most this many of the most frequent words (gensim <c>max_final_vocab</c>); null for no limit, else at least 1.</summary>
    public int? MaxFinalVocab { get; set; }

    /// <summary>
    /// Frequent-word subsampling threshold t, in [0, 1); 0 disables it. Default 1e-3. A word of count c among N
    /// retained tokens is kept with probability (√(c / (tN)) + 1) · tN / c, capped at 1 (word2vec.c and gensim).
    /// </summary>
    public double Sample { get; set; } = 1e-3;

    /// <summary>Noise words per positive pair for negative sampling, in [0, 100]; 0 disables it. Default 5.</summary>
    public int Negative { get; set; } = 5;

    /// <summary>Exponent of the noise distribution P(w) ∝ count(w)^exponent, in [-10, 10]. Default 0.75.</summary>
    public double NegativeExponent { get; set; } = 0.75;

    /// <summary>Train a hierarchical softmax over a Huffman tree (gensim <c>hs=1</c>). Default false.</summary>
    public bool HierarchicalSoftmax { get; set; }

    /// <summary>Skip-gram (gensim <c>sg=1</c>) instead of CBOW. Default false (CBOW).</summary>
    public bool SkipGram { get; set; }

    /// <summary>CBOW input is the mean of the context vectors (gensim <c>cbow_mean=1</c>) rather than their sum. Default true.</summary>
    public bool CbowMean { get; set; } = true;

    /// <summary>Initial learning rate, positive. Default 0.025.</summary>
    public double Alpha { get; set; } = 0.025;

    /// <summary>Final learning rate, in [0, <see cref="Alpha"/>]; the rate decays linearly over all epochs' words. Default 0.0001.</summary>
    public double MinAlpha { get; set; } = 0.0001;

    /// <summary>Passes over the corpus, at least 1. Default 5.</summary>
    public int Epochs { get; set; } = 5;

    /// <summary>Seed of the initial vectors and of every random draw (window, subsampling, noise words). Default 1.</summary>
    public ulong Seed { get; set; } = 1;

    /// <summary>
    /// Training threads, at least 1; they update shared weights without locks (Hogwild, as word2vec.c and gensim).
    /// Default: the processor count. With 1 the result is fully determined by <see cref="Seed"/>.
    /// </summary>
    public int Workers { get; set; } = Environment.ProcessorCount;

    /// <summary>Draw a reduced window per centre word (word2vec.c's dynamic window). Default true.</summary>
    public bool ShrinkWindows { get; set; } = true;

    /// <summary>Accumulate the training loss (negative log-likelihood of the pairs trained) for progress reports. Default false, as gensim.</summary>
    public bool ComputeLoss { get; set; }

    /// <summary>Target number of tokens per job handed to a thread, at least 1; sentences are cut at this length too (gensim's 10,000). Default 10,000.</summary>
    public int BatchWords { get; set; } = 10_000;

    /// <summary>Checks every option; the exception names the option that is out of range.</summary>
    /// <exception cref="ArgumentOutOfRangeException">An option is outside its documented range.</exception>
    /// <exception cref="ArgumentException">Neither negative sampling nor hierarchical softmax is enabled.</exception>
    public void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(VectorSize, 1, nameof(VectorSize));
        ArgumentOutOfRangeException.ThrowIfLessThan(Window, 1, nameof(Window));
        ArgumentOutOfRangeException.ThrowIfLessThan(MinCount, 1, nameof(MinCount));
        if (MaxFinalVocab is int max) ArgumentOutOfRangeException.ThrowIfLessThan(max, 1, nameof(MaxFinalVocab));
        if (!(Sample >= 0 && Sample < 1)) throw new ArgumentOutOfRangeException(nameof(Sample), Sample, "Sample must be in [0, 1).");
        if (Negative is < 0 or > 100) throw new ArgumentOutOfRangeException(nameof(Negative), Negative, "Negative must be in [0, 100].");
        if (!(NegativeExponent >= -10 && NegativeExponent <= 10)) throw new ArgumentOutOfRangeException(nameof(NegativeExponent), NegativeExponent, "NegativeExponent must be in [-10, 10].");
        if (!(Alpha > 0 && double.IsFinite(Alpha))) throw new ArgumentOutOfRangeException(nameof(Alpha), Alpha, "Alpha must be positive and finite.");
        if (!(MinAlpha >= 0 && MinAlpha <= Alpha)) throw new ArgumentOutOfRangeException(nameof(MinAlpha), MinAlpha, "MinAlpha must be in [0, Alpha].");
        ArgumentOutOfRangeException.ThrowIfLessThan(Epochs, 1, nameof(Epochs));
        ArgumentOutOfRangeException.ThrowIfLessThan(Workers, 1, nameof(Workers));
        ArgumentOutOfRangeException.ThrowIfLessThan(BatchWords, 1, nameof(BatchWords));
        if (Negative == 0 && !HierarchicalSoftmax)
            throw new ArgumentException("Enable negative sampling (Negative > 0) or HierarchicalSoftmax; with neither there is nothing to train.", nameof(Negative));
    }
}
