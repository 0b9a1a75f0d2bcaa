namespace MLNetExt.Trainers.WordEmbeddings;

/// <summary>
/// Word2Vec (Mikolov et al., 2013) with gensim 4.2's behaviour: skip-gram or CBOW (mean or sum), negative sampling
/// from the unigram^0.75 distribution and/or hierarchical softmax over a Huffman tree, frequent-word subsampling,
/// a dynamic window, and a learning rate decaying linearly from α to min_α over all epochs' words. Threads update
/// the shared weights without locks, as word2vec.c and gensim do.
/// </summary>
/// <example>
/// <code>
/// var trainer = new Word2VecTrainer(new Word2VecOptions { SkipGram = true, Epochs = 5 });
/// KeyedVectors vectors = trainer.Fit(sentences);
/// var neighbours = vectors.MostSimilar("king", topN: 5);
/// </code>
/// </example>
public sealed class Word2VecTrainer
{
    private readonly Word2VecOptions _options;

    /// <summary>Creates a trainer; the options are validated here and must not be changed afterwards.</summary>
    /// <exception cref="ArgumentOutOfRangeException">An option is outside its range (the message names it).</exception>
    public Word2VecTrainer(Word2VecOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _options = options;
    }

    /// <summary>The vocabulary of <paramref name="sentences"/> under <see cref="Word2VecOptions.MinCount"/> and <see cref="Word2VecOptions.MaxFinalVocab"/>.</summary>
    /// <exception cref="ArgumentException">The corpus is empty or no word reaches min_count.</exception>
    public Vocabulary BuildVocabulary(IEnumerable<IReadOnlyList<string>> sentences)
        => Vocabulary.Build(sentences, _options.MinCount, _options.MaxFinalVocab);

    /// <summary>Builds the vocabulary and trains: gensim's <c>Word2Vec(sentences, ...)</c>.</summary>
    /// <param name="sentences">Tokenized sentences; enumerated twice (vocabulary, then encoding).</param>
    /// <param name="progress">Receives a report at the end of each epoch.</param>
    /// <param name="cancellationToken">Checked before every job of about <see cref="Word2VecOptions.BatchWords"/> tokens.</param>
    /// <returns>The learned input vectors, one per vocabulary word, most frequent first.</returns>
    /// <exception cref="ArgumentException">The corpus is empty or no word reaches min_count.</exception>
    /// <exception cref="OperationCanceledException">Cancellation was requested.</exception>
    public KeyedVectors Fit(IEnumerable<IReadOnlyList<string>> sentences, IProgress<Word2VecProgress>? progress = null, CancellationToken cancellationToken = default)
        => Train(sentences, BuildVocabulary(sentences), progress, cancellationToken);

    /// <summary>Trains fresh vectors for <paramref name="vocabulary"/> on <paramref name="sentences"/> (tokens outside it are skipped).</summary>
    /// <exception cref="ArgumentException">No token of the corpus is in the vocabulary.</exception>
    /// <exception cref="OperationCanceledException">Cancellation was requested.</exception>
    public KeyedVectors Train(IEnumerable<IReadOnlyList<string>> sentences, Vocabulary vocabulary, IProgress<Word2VecProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(sentences);
        ArgumentNullException.ThrowIfNull(vocabulary);
        var corpus = EncodedCorpus.Encode(sentences, vocabulary, _options.BatchWords, cancellationToken);
        int v = vocabulary.Count, d = _options.VectorSize;

        var input = new float[(long)v * d];
        InitializeInput(input, d, _options.Seed);
        float[]? outputNegative = _options.Negative > 0 ? new float[(long)v * d] : null;
        float[]? outputTree = _options.HierarchicalSoftmax ? new float[(long)Math.Max(1, v - 1) * d] : null;
        var noise = _options.Negative > 0 ? new NoiseDistribution(vocabulary.Counts, _options.NegativeExponent) : null;
        var tree = _options.HierarchicalSoftmax ? HuffmanTree.Build(vocabulary.Counts) : null;
        var keep = KeepThresholds(vocabulary.Counts, vocabulary.RetainedWordCount, _options.Sample);

        int jobs = corpus.JobCount, epochs = _options.Epochs;
        long totalWords = corpus.WordCount * epochs;
        int nextJob = -1, completedJobs = 0;
        var epochLoss = new double[epochs];
        var gate = new object();
        double alphaStart = _options.Alpha, alphaEnd = _options.MinAlpha;

        void Work()
        {
            var worker = new Word2VecWorker(_options, input, outputNegative, outputTree, keep, noise, tree, corpus.MaxSentenceLength);
            while (!cancellationToken.IsCancellationRequested)
            {
                int global = Interlocked.Increment(ref nextJob);
                if (global >= jobs * epochs) break;
                int epoch = global / jobs, job = global % jobs;
                double done = (double)epoch * corpus.WordCount + corpus.JobWordOffsets[job];
                float alpha = (float)Math.Max(alphaEnd, alphaStart - (alphaStart - alphaEnd) * done / totalWords);
                // Each job's draws depend on the seed, epoch and job only, so they do not depend on which thread runs it.
                ulong seed = _options.Seed * 0x9E3779B97F4A7C15UL + (ulong)global * 0xBF58476D1CE4E5B9UL + 1;
                double loss = worker.RunJob(corpus, job, alpha, seed);
                int completed;
                lock (gate)
                {
                    epochLoss[epoch] += loss;
                    completed = ++completedJobs;
                }
                if (progress is not null && completed % jobs == 0)
                {
                    int finished = completed / jobs;
                    progress.Report(new Word2VecProgress(finished, epochs, (long)finished * corpus.WordCount, totalWords, alpha,
                        _options.ComputeLoss ? epochLoss[finished - 1] : double.NaN));
                }
            }
        }

        int workers = Math.Min(_options.Workers, jobs * epochs);
        if (workers == 1) Work();
        else
        {
            var threads = new Thread[workers];
            for (int t = 0; t < workers; t++) (threads[t] = new Thread(Work) { IsBackground = true, Name = $"word2vec-{t}" }).Start();
            foreach (var thread in threads) thread.Join();
        }
        cancellationToken.ThrowIfCancellationRequested();
        return new KeyedVectors(vocabulary.Words.ToArray(), input, d);
    }

    /// <summary>gensim 4.2's <c>prep_vectors</c> distribution: uniform in [-1/D, 1/D).</summary>
    private static void InitializeInput(float[] input, int d, ulong seed)
    {
        var random = new MLNetExt.Core.RandomSource(seed);
        float scale = 1f / d;
        for (long i = 0; i < input.LongLength; i++) input[i] = (random.NextSingle() * 2 - 1) * scale;
    }

    /// <summary>
    /// Keep probability of each word as a 32-bit threshold (gensim's <c>sample_int</c>): with t·N = sample × retained
    /// tokens, p = (√(c / tN) + 1) · tN / c capped at 1; stored as ⌊p·(2³² − 1)⌋; a draw r of 32 bits keeps the word when r ≤ that.
    /// </summary>
    internal static ulong[] KeepThresholds(IReadOnlyList<long> counts, long retained, double sample)
    {
        var keep = new ulong[counts.Count];
        double threshold = sample * retained;
        for (int i = 0; i < keep.Length; i++)
        {
            double p = sample == 0 ? 1 : Math.Min(1, (Math.Sqrt(counts[i] / threshold) + 1) * threshold / counts[i]);
            keep[i] = (ulong)(p * uint.MaxValue);
        }
        return keep;
    }
}
