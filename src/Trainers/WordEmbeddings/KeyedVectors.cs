using System.Numerics.Tensors;

namespace MLNetExt.Trainers.WordEmbeddings;

/// <summary>
/// Word vectors looked up by word (gensim's <c>KeyedVectors</c>): a V×D row-major matrix with one row per word,
/// and the queries of the word2vec literature on it. Every similarity is the cosine, computed on unit-length copies
/// of the rows (made once, on first use); a zero vector has cosine 0 with everything.
/// </summary>
public sealed class KeyedVectors
{
    private readonly string[] _words;
    private readonly float[] _vectors;
    private readonly Dictionary<string, int> _index;
    private float[]? _unit;

    /// <summary>Wraps <paramref name="vectors"/> (taken over, not copied) as the rows of <paramref name="words"/>.</summary>
    /// <param name="words">The words, distinct and not null; row i belongs to words[i].</param>
    /// <param name="vectors">V×D floats, row-major.</param>
    /// <param name="vectorSize">D, at least 1.</param>
    /// <exception cref="ArgumentException">The sizes disagree, or a word is null or repeated.</exception>
    public KeyedVectors(IReadOnlyList<string> words, float[] vectors, int vectorSize)
    {
        ArgumentNullException.ThrowIfNull(words);
        ArgumentNullException.ThrowIfNull(vectors);
        ArgumentOutOfRangeException.ThrowIfLessThan(vectorSize, 1, nameof(vectorSize));
        if (vectors.LongLength != (long)words.Count * vectorSize)
            throw new ArgumentException($"Expected {words.Count} × {vectorSize} = {(long)words.Count * vectorSize} floats, got {vectors.LongLength}.", nameof(vectors));
        _words = words.ToArray();
        _vectors = vectors;
        VectorSize = vectorSize;
        _index = new Dictionary<string, int>(_words.Length, StringComparer.Ordinal);
        for (int i = 0; i < _words.Length; i++)
        {
            if (_words[i] is null) throw new ArgumentException($"Word {i} is null.", nameof(words));
            if (!_index.TryAdd(_words[i], i)) throw new ArgumentException($"The word '{_words[i]}' appears twice (rows {_index[_words[i]]} and {i}).", nameof(words));
        }
    }

    /// <summary>A reader's vectors: <paramref name="words"/> and <paramref name="index"/> already checked (distinct, not null), nothing copied.</summary>
    internal KeyedVectors(string[] words, float[] vectors, int vectorSize, Dictionary<string, int> index)
    {
        _words = words;
        _vectors = vectors;
        VectorSize = vectorSize;
        _index = index;
    }

    /// <summary>V, the number of words.</summary>
    public int Count => _words.Length;

    /// <summary>D, the length of each vector.</summary>
    public int VectorSize { get; }

    /// <summary>The words in row order.</summary>
    public IReadOnlyList<string> Words => _words;

    /// <summary>All rows, V×D row-major.</summary>
    public ReadOnlySpan<float> Vectors => _vectors;

    internal float[] VectorArray => _vectors;

    /// <summary>The row of <paramref name="word"/>, or -1 when it is unknown.</summary>
    public int IndexOf(string word) => _index.TryGetValue(word, out int i) ? i : -1;

    /// <summary>Whether <paramref name="word"/> has a vector.</summary>
    public bool Contains(string word) => _index.ContainsKey(word);

    /// <summary>The vector of <paramref name="word"/>.</summary>
    /// <exception cref="KeyNotFoundException">The word is unknown.</exception>
    public ReadOnlySpan<float> this[string word] => GetVector(RowOf(word, nameof(word)));

    /// <summary>The vector in row <paramref name="index"/>.</summary>
    public ReadOnlySpan<float> GetVector(int index)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, Count);
        return _vectors.AsSpan(index * VectorSize, VectorSize);
    }

    /// <summary>cos(w1, w2).</summary>
    /// <exception cref="KeyNotFoundException">A word is unknown.</exception>
    public float Similarity(string word1, string word2)
        => TensorPrimitives.Dot(UnitRow(RowOf(word1, nameof(word1))), UnitRow(RowOf(word2, nameof(word2))));

    /// <summary>The <paramref name="topN"/> words closest to <paramref name="word"/> by cosine, the word itself excluded.</summary>
    /// <exception cref="KeyNotFoundException">The word is unknown.</exception>
    public IReadOnlyList<WordSimilarity> MostSimilar(string word, int topN = 10)
        => MostSimilar([word], [], topN);

    /// <summary>
    /// gensim's <c>most_similar(positive, negative)</c>: the query is the normalized mean of the unit vectors of
    /// <paramref name="positive"/> and the negated unit vectors of <paramref name="negative"/>; returns the
    /// <paramref name="topN"/> words of highest cosine with it, the query words excluded.
    /// </summary>
    /// <exception cref="ArgumentException">No word is given.</exception>
    /// <exception cref="KeyNotFoundException">A word is unknown.</exception>
    public IReadOnlyList<WordSimilarity> MostSimilar(IEnumerable<string> positive, IEnumerable<string> negative, int topN = 10)
    {
        ArgumentNullException.ThrowIfNull(positive);
        ArgumentNullException.ThrowIfNull(negative);
        ArgumentOutOfRangeException.ThrowIfLessThan(topN, 1, nameof(topN));
        var query = new float[VectorSize];
        var exclude = new HashSet<int>();
        foreach (string w in positive) Accumulate(w, 1f, nameof(positive));
        foreach (string w in negative) Accumulate(w, -1f, nameof(negative));
        if (exclude.Count == 0) throw new ArgumentException("Give at least one word.", nameof(positive));
        Normalize(query);
        return Top(topN, exclude, row => TensorPrimitives.Dot(UnitRow(row), query));

        void Accumulate(string word, float sign, string parameter)
        {
            int row = RowOf(word, parameter);
            exclude.Add(row);
            TensorPrimitives.MultiplyAdd(UnitRow(row), sign, query, query);
        }
    }

    /// <summary>The <paramref name="topN"/> words closest to an arbitrary <paramref name="vector"/> by cosine.</summary>
    /// <exception cref="ArgumentException">The vector's length is not <see cref="VectorSize"/>.</exception>
    public IReadOnlyList<WordSimilarity> MostSimilar(ReadOnlySpan<float> vector, int topN = 10)
    {
        if (vector.Length != VectorSize) throw new ArgumentException($"Expected a vector of {VectorSize} floats, got {vector.Length}.", nameof(vector));
        ArgumentOutOfRangeException.ThrowIfLessThan(topN, 1, nameof(topN));
        var query = vector.ToArray();
        Normalize(query);
        return Top(topN, [], row => TensorPrimitives.Dot(UnitRow(row), query));
    }

    /// <summary>
    /// Answers a : b :: c : ? (e.g. man : king :: woman : queen) with <paramref name="method"/>; the words a, b and c
    /// are never answers.
    /// </summary>
    /// <exception cref="KeyNotFoundException">A word is unknown.</exception>
    public IReadOnlyList<WordSimilarity> Analogy(string a, string b, string c, AnalogyMethod method = AnalogyMethod.CosAdd, int topN = 1)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(topN, 1, nameof(topN));
        int ia = RowOf(a, nameof(a)), ib = RowOf(b, nameof(b)), ic = RowOf(c, nameof(c));
        return AnalogyByRow(ia, ib, ic, method, topN, Count);
    }

    private IReadOnlyList<WordSimilarity> AnalogyByRow(int ia, int ib, int ic, AnalogyMethod method, int topN, int candidateLimit)
    {
        var exclude = new HashSet<int> { ia, ib, ic };
        if (method == AnalogyMethod.CosAdd)
        {
            // gensim normalizes the mean of b − a + c before ranking; the ranking is the same as by the sum of cosines.
            var query = new float[VectorSize];
            TensorPrimitives.Add(UnitRow(ib), UnitRow(ic), query);
            TensorPrimitives.Subtract(query, UnitRow(ia), query);
            Normalize(query);
            return Top(topN, exclude, row => TensorPrimitives.Dot(UnitRow(row), query), candidateLimit);
        }
        if (method != AnalogyMethod.CosMul) throw new ArgumentOutOfRangeException(nameof(method), method, "Unknown analogy method.");
        float[] va = UnitRow(ia).ToArray(), vb = UnitRow(ib).ToArray(), vc = UnitRow(ic).ToArray();
        return Top(topN, exclude, row =>
        {
            var u = UnitRow(row);
            float ca = (TensorPrimitives.Dot(u, va) + 1) / 2, cb = (TensorPrimitives.Dot(u, vb) + 1) / 2, cc = (TensorPrimitives.Dot(u, vc) + 1) / 2;
            return cb * cc / (ca + 0.001f);
        }, candidateLimit);
    }

    /// <summary>
    /// The fraction of <paramref name="questions"/> answered correctly, as gensim's <c>evaluate_word_analogies</c>:
    /// questions with a word outside the first <paramref name="restrictVocabulary"/> rows are skipped, and only
    /// those rows are candidates.
    /// </summary>
    public AnalogyEvaluation EvaluateAnalogies(IEnumerable<AnalogyQuestion> questions, AnalogyMethod method = AnalogyMethod.CosAdd, int restrictVocabulary = 300_000)
    {
        ArgumentNullException.ThrowIfNull(questions);
        ArgumentOutOfRangeException.ThrowIfLessThan(restrictVocabulary, 1, nameof(restrictVocabulary));
        int limit = Math.Min(restrictVocabulary, Count), correct = 0, answered = 0, skipped = 0;
        foreach (var q in questions)
        {
            int ia = IndexOf(q.A), ib = IndexOf(q.B), ic = IndexOf(q.C), id = IndexOf(q.D);
            if (ia < 0 || ib < 0 || ic < 0 || id < 0 || ia >= limit || ib >= limit || ic >= limit || id >= limit)
            {
                skipped++;
                continue;
            }
            answered++;
            if (AnalogyByRow(ia, ib, ic, method, 1, limit)[0].Word == q.D) correct++;
        }
        return new AnalogyEvaluation(correct, answered, skipped);
    }

    /// <summary>
    /// The word least like the others (gensim's <c>doesnt_match</c>): the one whose unit vector has the lowest cosine
    /// with the normalized mean of all their unit vectors.
    /// </summary>
    /// <exception cref="ArgumentException">Fewer than two words are given.</exception>
    /// <exception cref="KeyNotFoundException">A word is unknown.</exception>
    public string DoesNotMatch(IEnumerable<string> words)
    {
        ArgumentNullException.ThrowIfNull(words);
        var rows = words.Select(w => RowOf(w, nameof(words))).ToArray();
        if (rows.Length < 2) throw new ArgumentException("Give at least two words.", nameof(words));
        var mean = new float[VectorSize];
        foreach (int row in rows) TensorPrimitives.Add(mean, UnitRow(row), mean);
        Normalize(mean);
        int worst = rows.MinBy(row => TensorPrimitives.Dot(UnitRow(row), mean));
        return _words[worst];
    }

    /// <summary>A unit-length copy of all rows (zero rows stay zero).</summary>
    public float[] GetNormalizedVectors() => (float[])UnitVectors.Clone();

    private float[] UnitVectors
    {
        get
        {
            if (_unit is not null) return _unit;
            var unit = (float[])_vectors.Clone();
            for (int row = 0; row < Count; row++) Normalize(unit.AsSpan(row * VectorSize, VectorSize));
            Interlocked.CompareExchange(ref _unit, unit, null);
            return _unit;
        }
    }

    private ReadOnlySpan<float> UnitRow(int row) => UnitVectors.AsSpan(row * VectorSize, VectorSize);

    private int RowOf(string word, string parameter)
    {
        ArgumentNullException.ThrowIfNull(word, parameter);
        return _index.TryGetValue(word, out int row) ? row : throw new KeyNotFoundException($"The word '{word}' ({parameter}) has no vector.");
    }

    private static void Normalize(Span<float> v)
    {
        float norm = TensorPrimitives.Norm(v);
        if (norm > 0) TensorPrimitives.Divide(v, norm, v);
    }

    private IReadOnlyList<WordSimilarity> Top(int topN, HashSet<int> exclude, Func<int, float> score, int candidateLimit = int.MaxValue)
    {
        int limit = Math.Min(candidateLimit, Count);
        // Never more than the candidates: a topN of int.MaxValue ("all of them") must neither overflow nor allocate for it.
        var heap = new PriorityQueue<int, float>(Math.Min(topN, limit) + 1);
        for (int row = 0; row < limit; row++)
        {
            if (exclude.Contains(row)) continue;
            float s = score(row);
            if (heap.Count < topN) heap.Enqueue(row, s);
            else if (heap.TryPeek(out _, out float lowest) && s > lowest) heap.EnqueueDequeue(row, s);
        }
        var result = new WordSimilarity[heap.Count];
        for (int i = result.Length - 1; i >= 0; i--)
        {
            heap.TryDequeue(out int row, out float s);
            result[i] = new WordSimilarity(_words[row], s);
        }
        return result;
    }
}
