namespace MLNetExt.Trainers.WordEmbeddings;

/// <summary>
/// Word–context co-occurrence counts X_ij as the GloVe tool's <c>cooccur</c> computes them: within each sentence,
/// every pair of in-vocabulary tokens at distance d ≤ window adds 1/d to X[left, right] (and to X[right, left]
/// when symmetric); out-of-vocabulary tokens are removed before windowing. Entries are held sorted by (row, column).
/// </summary>
public sealed class CooccurrenceMatrix
{
    // Pairs of frequent words go to a dense block (as cooccur.c does below its max_product); the rest are buffered,
    // and each full buffer is sorted, summed and merged into one sorted run (cooccur.c's overflow files, in memory).
    private const int DenseLimit = 2048;
    private const int BufferPairs = 1 << 22;

    private readonly int[] _rows;
    private readonly int[] _columns;
    private readonly float[] _values;

    private CooccurrenceMatrix(Vocabulary vocabulary, int[] rows, int[] columns, float[] values)
    {
        Vocabulary = vocabulary;
        _rows = rows;
        _columns = columns;
        _values = values;
    }

    /// <summary>The vocabulary the indices refer to.</summary>
    public Vocabulary Vocabulary { get; }

    /// <summary>The number of non-zero entries.</summary>
    public int Count => _values.Length;

    /// <summary>Row (word) index of each entry.</summary>
    public ReadOnlySpan<int> Rows => _rows;

    /// <summary>Column (context) index of each entry.</summary>
    public ReadOnlySpan<int> Columns => _columns;

    /// <summary>X_ij of each entry.</summary>
    public ReadOnlySpan<float> Values => _values;

    /// <summary>Counts the co-occurrences of <paramref name="sentences"/> over <paramref name="vocabulary"/>.</summary>
    /// <exception cref="ArgumentException">No token of the corpus is in the vocabulary.</exception>
    /// <exception cref="OperationCanceledException">Cancellation was requested.</exception>
    public static CooccurrenceMatrix Compute(IEnumerable<IReadOnlyList<string>> sentences, Vocabulary vocabulary, int window, bool symmetric, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(sentences);
        ArgumentNullException.ThrowIfNull(vocabulary);
        ArgumentOutOfRangeException.ThrowIfLessThan(window, 1, nameof(window));
        var corpus = EncodedCorpus.Encode(sentences, vocabulary, int.MaxValue, cancellationToken);
        int v = vocabulary.Count, dense = Math.Min(v, DenseLimit);
        var block = new double[dense * dense];
        var run = new PairRun();
        int[] tokens = corpus.Tokens, starts = corpus.SentenceStarts;
        var inverse = new double[window + 1];
        for (int d = 1; d <= window; d++) inverse[d] = 1.0 / d;

        for (int s = 0; s + 1 < starts.Length; s++)
        {
            if ((s & 1023) == 0) cancellationToken.ThrowIfCancellationRequested();
            int start = starts[s], end = starts[s + 1];
            for (int t = start + 1; t < end; t++)
            {
                int right = tokens[t];
                for (int d = 1; d <= window && t - d >= start; d++)
                {
                    int left = tokens[t - d];
                    Add(left, right, inverse[d]);
                    if (symmetric) Add(right, left, inverse[d]);
                }
            }
        }

        run.Flush();
        // Accumulate in double so that large counts do not lose the small 1/d increments.
        var keys = new List<ulong>(run.Count + dense * 16);
        var values = new List<float>(keys.Capacity);
        for (int i = 0; i < dense; i++)
            for (int j = 0; j < dense; j++)
                if (block[i * dense + j] != 0)
                {
                    keys.Add(((ulong)i << 32) | (uint)j);
                    values.Add((float)block[i * dense + j]);
                }
        for (int e = 0; e < run.Count; e++)
        {
            keys.Add(run.Keys[e]);
            values.Add((float)run.Values[e]);
        }
        var keyArray = keys.ToArray();
        var valueArray = values.ToArray();
        Array.Sort(keyArray, valueArray);
        var rows = new int[keyArray.Length];
        var columns = new int[keyArray.Length];
        for (int e = 0; e < keyArray.Length; e++)
        {
            rows[e] = (int)(keyArray[e] >> 32);
            columns[e] = (int)(uint)keyArray[e];
        }
        return new CooccurrenceMatrix(vocabulary, rows, columns, valueArray);

        void Add(int i, int j, double weight)
        {
            if (i < dense && j < dense) block[i * dense + j] += weight;
            else run.Add(((ulong)(uint)i << 32) | (uint)j, weight);
        }
    }

    /// <summary>A sorted run of (row·2³² + column, X) with a buffer of unsorted additions.</summary>
    private sealed class PairRun
    {
        private ulong[] _bufferKeys = new ulong[1 << 16];
        private double[] _bufferValues = new double[1 << 16];
        private int _buffered;

        public ulong[] Keys { get; private set; } = [];
        public double[] Values { get; private set; } = [];
        public int Count { get; private set; }

        public void Add(ulong key, double value)
        {
            _bufferKeys[_buffered] = key;
            _bufferValues[_buffered++] = value;
            if (_buffered < _bufferKeys.Length) return;
            if (_bufferKeys.Length < BufferPairs)
            {
                Array.Resize(ref _bufferKeys, _bufferKeys.Length * 2);
                Array.Resize(ref _bufferValues, _bufferValues.Length * 2);
            }
            else Flush();
        }

        public void Flush()
        {
            if (_buffered == 0) return;
            Array.Sort(_bufferKeys, _bufferValues, 0, _buffered);
            int unique = 0;
            for (int e = 0; e < _buffered; e++)
            {
                if (unique > 0 && _bufferKeys[unique - 1] == _bufferKeys[e]) _bufferValues[unique - 1] += _bufferValues[e];
                else
                {
                    _bufferKeys[unique] = _bufferKeys[e];
                    _bufferValues[unique++] = _bufferValues[e];
                }
            }
            var keys = new ulong[Count + unique];
            var values = new double[Count + unique];
            int a = 0, b = 0, n = 0;
            while (a < Count || b < unique)
            {
                if (b == unique || (a < Count && Keys[a] < _bufferKeys[b])) { keys[n] = Keys[a]; values[n++] = Values[a++]; }
                else if (a == Count || _bufferKeys[b] < Keys[a]) { keys[n] = _bufferKeys[b]; values[n++] = _bufferValues[b++]; }
                else { keys[n] = Keys[a]; values[n++] = Values[a++] + _bufferValues[b++]; }
            }
            Keys = keys;
            Values = values;
            Count = n;
            _buffered = 0;
        }
    }
}
