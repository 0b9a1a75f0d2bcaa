using System.Runtime.InteropServices;

namespace MLNetExt.Trainers.WordEmbeddings;

/// <summary>
/// Word–context co-occurrence counts X_ij as the GloVe tool's <c>cooccur</c> computes them: within each sentence,
/// every pair of in-vocabulary tokens at distance d ≤ window adds 1/d to X[left, right] (and to X[right, left]
/// when symmetric); out-of-vocabulary tokens are removed before windowing. Entries are held sorted by (row, column).
/// </summary>
public sealed class CooccurrenceMatrix
{
    // Pairs of frequent words go to a dense block (as cooccur.c does below its max_product), the rest to a hash map.
    private const int DenseLimit = 2048;

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
        var sparse = new Dictionary<ulong, double>();
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

        // Accumulate in double so that large counts do not lose the small 1/d increments.
        var keys = new List<ulong>(sparse.Count + dense * 16);
        var values = new List<float>(keys.Capacity);
        for (int i = 0; i < dense; i++)
            for (int j = 0; j < dense; j++)
                if (block[i * dense + j] != 0)
                {
                    keys.Add(((ulong)i << 32) | (uint)j);
                    values.Add((float)block[i * dense + j]);
                }
        foreach (var (key, value) in sparse)
        {
            keys.Add(key);
            values.Add((float)value);
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
            else CollectionsMarshal.GetValueRefOrAddDefault(sparse, ((ulong)(uint)i << 32) | (uint)j, out _) += weight;
        }
    }
}
