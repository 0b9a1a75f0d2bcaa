using MLNetExt.Core;

namespace MLNetExt.Trainers.WordEmbeddings;

/// <summary>
/// GloVe (Pennington et al., 2014) as the Stanford C tool trains it: minimize
/// J = Σ_ij f(X_ij)(w_iᵀw̃_j + b_i + b̃_j − log X_ij)², f(x) = min(1, (x / x_max)^α), by AdaGrad over the shuffled
/// non-zero entries, with lock-free threads; the result is W + W̃.
/// </summary>
/// <remarks>
/// Shapes: V words, D = vector size. W, W̃ [V, D] and b, b̃ [V], initialized uniform in [-0.5/D, 0.5/D); the
/// squared-gradient sums G start at 1. For one entry with e = w_iᵀw̃_j + b_i + b̃_j − log X_ij and g = η f(X_ij) e:
///   dW_i = g·w̃_j, dW̃_j = g·w_i, db_i = db̃_j = g;  each parameter p moves by −dp / √G_p, then G_p += dp².
/// </remarks>
public sealed class GloVeTrainer
{
    private const int RecordsPerChunk = 65_536;
    private readonly GloVeOptions _options;

    /// <summary>Creates a trainer; the options are validated here and must not be changed afterwards.</summary>
    /// <exception cref="ArgumentOutOfRangeException">An option is outside its range (the message names it).</exception>
    public GloVeTrainer(GloVeOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _options = options;
    }

    /// <summary>The vocabulary of <paramref name="sentences"/> under <see cref="GloVeOptions.MinCount"/> and <see cref="GloVeOptions.MaxVocab"/>.</summary>
    /// <exception cref="ArgumentException">The corpus is empty or no word reaches min_count.</exception>
    public Vocabulary BuildVocabulary(IEnumerable<IReadOnlyList<string>> sentences)
        => Vocabulary.Build(sentences, _options.MinCount, _options.MaxVocab);

    /// <summary>The co-occurrence counts of <paramref name="sentences"/> under this trainer's window.</summary>
    public CooccurrenceMatrix CountCooccurrences(IEnumerable<IReadOnlyList<string>> sentences, Vocabulary vocabulary, CancellationToken cancellationToken = default)
        => CooccurrenceMatrix.Compute(sentences, vocabulary, _options.Window, _options.Symmetric, cancellationToken);

    /// <summary>Vocabulary, counting and training in one call.</summary>
    /// <exception cref="ArgumentException">The corpus is empty or no word reaches min_count.</exception>
    /// <exception cref="OperationCanceledException">Cancellation was requested.</exception>
    public KeyedVectors Fit(IEnumerable<IReadOnlyList<string>> sentences, IProgress<GloVeProgress>? progress = null, CancellationToken cancellationToken = default)
        => Train(CountCooccurrences(sentences, BuildVocabulary(sentences), cancellationToken), progress, cancellationToken);

    /// <summary>Trains on ready counts; returns W + W̃.</summary>
    /// <exception cref="ArgumentException">The matrix has no entries.</exception>
    /// <exception cref="OperationCanceledException">Cancellation was requested (checked every 65,536 entries).</exception>
    public KeyedVectors Train(CooccurrenceMatrix cooccurrences, IProgress<GloVeProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(cooccurrences);
        if (cooccurrences.Count == 0) throw new ArgumentException("The co-occurrence matrix is empty: no two vocabulary words share a window.", nameof(cooccurrences));
        int v = cooccurrences.Vocabulary.Count, d = _options.VectorSize;
        var random = new RandomSource(_options.Seed);
        var state = new GloVeParameters(v, d, random);

        int n = cooccurrences.Count;
        var order = new int[n];
        for (int e = 0; e < n; e++) order[e] = e;
        random.Shuffle(order.AsSpan());
        var rows = new int[n];
        var columns = new int[n];
        var logX = new float[n];
        var weight = new float[n];
        for (int e = 0; e < n; e++)
        {
            int src = order[e];
            rows[e] = cooccurrences.Rows[src];
            columns[e] = cooccurrences.Columns[src];
            float x = cooccurrences.Values[src];
            logX[e] = MathF.Log(x);
            weight[e] = x >= _options.XMax ? 1f : (float)Math.Pow(x / _options.XMax, _options.WeightingExponent);
        }

        int chunks = (n + RecordsPerChunk - 1) / RecordsPerChunk;
        int workers = Math.Min(_options.Workers, chunks);
        float eta = (float)_options.LearningRate;
        for (int epoch = 1; epoch <= _options.Epochs; epoch++)
        {
            int next = -1;
            double cost = 0;
            var gate = new object();
            void Work()
            {
                int chunk;
                while (!cancellationToken.IsCancellationRequested && (chunk = Interlocked.Increment(ref next)) < chunks)
                {
                    int from = chunk * RecordsPerChunk, to = Math.Min(n, from + RecordsPerChunk);
                    double c = state.TrainRange(rows, columns, logX, weight, from, to, eta);
                    lock (gate) cost += c;
                }
            }
            if (workers == 1) Work();
            else
            {
                var threads = new Thread[workers];
                for (int t = 0; t < workers; t++) (threads[t] = new Thread(Work) { IsBackground = true, Name = $"glove-{t}" }).Start();
                foreach (var thread in threads) thread.Join();
            }
            cancellationToken.ThrowIfCancellationRequested();
            if (!double.IsFinite(cost))
                throw new InvalidOperationException($"GloVe diverged in epoch {epoch} (cost {cost}); lower LearningRate.");
            progress?.Report(new GloVeProgress(epoch, _options.Epochs, cost / n));
        }
        return new KeyedVectors(cooccurrences.Vocabulary.Words.ToArray(), state.SumOfWordAndContext(), d);
    }
}
