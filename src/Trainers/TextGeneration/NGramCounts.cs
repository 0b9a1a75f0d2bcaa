using System.Runtime.InteropServices;

namespace MLNetExt.Trainers.TextGeneration;

/// <summary>
/// The n-grams of one token sequence, of one order, with their counts. Tokens are compared as ordinal strings; the
/// n-grams are keyed by spans of interned token ids, so that counting allocates one dictionary and no strings.
/// </summary>
internal sealed class NGramCounts
{
    private readonly Dictionary<NGram, int> _counts;

    /// <summary>Counts the n-grams of order <paramref name="order"/> in <paramref name="ids"/> (token ids from one <see cref="TokenIds"/>).</summary>
    public NGramCounts(int[] ids, int order)
    {
        Order = order;
        Total = Math.Max(0, ids.Length - order + 1);
        _counts = new Dictionary<NGram, int>(Total);
        for (int start = 0; start < Total; start++)
            CollectionsMarshal.GetValueRefOrAddDefault(_counts, new NGram(ids, start, order), out _)++;
    }

    /// <summary>n.</summary>
    public int Order { get; }

    /// <summary>How many n-grams the sequence has: max(0, length − n + 1).</summary>
    public int Total { get; }

    /// <summary>The distinct n-grams and their counts.</summary>
    public IEnumerable<KeyValuePair<NGram, int>> Items => _counts;

    /// <summary>How often <paramref name="ngram"/> occurs (0 when it does not).</summary>
    public int CountOf(NGram ngram) => _counts.GetValueOrDefault(ngram);

    /// <summary>Σ min(count here, count in <paramref name="other"/>): the overlap of two multisets of n-grams (ROUGE-N's).</summary>
    public int OverlapWith(NGramCounts other)
    {
        int overlap = 0;
        foreach (var (ngram, count) in _counts)
            overlap += Math.Min(count, other.CountOf(ngram));
        return overlap;
    }

    /// <summary>
    /// Σ min(count here, max over <paramref name="references"/> of the count there): BLEU's clipped matches, where each
    /// n-gram is credited at most as often as it occurs in the one reference that holds it most often.
    /// </summary>
    public int ClippedMatches(IReadOnlyList<NGramCounts> references)
    {
        int matches = 0;
        foreach (var (ngram, count) in _counts)
        {
            int most = 0;
            foreach (var reference in references)
                most = Math.Max(most, reference.CountOf(ngram));
            matches += Math.Min(count, most);
        }
        return matches;
    }
}

/// <summary>A span of token ids, equal to another when the ids are.</summary>
internal readonly struct NGram : IEquatable<NGram>
{
    private readonly int[] _ids;
    private readonly int _start;
    private readonly int _length;
    private readonly int _hash;

    public NGram(int[] ids, int start, int length)
    {
        _ids = ids;
        _start = start;
        _length = length;
        var hash = new HashCode();
        foreach (int id in ids.AsSpan(start, length))
            hash.Add(id);
        _hash = hash.ToHashCode();
    }

    public bool Equals(NGram other) => _hash == other._hash && _ids.AsSpan(_start, _length).SequenceEqual(other._ids.AsSpan(other._start, other._length));

    public override bool Equals(object? obj) => obj is NGram other && Equals(other);

    public override int GetHashCode() => _hash;
}

/// <summary>
/// Interns tokens as small ids, ordinal: the sequences compared with each other (a hypothesis and its references) must
/// share one instance so that equal tokens get equal ids.
/// </summary>
internal sealed class TokenIds
{
    private readonly Dictionary<string, int> _ids = new(StringComparer.Ordinal);

    /// <summary>The ids of <paramref name="tokens"/>, new tokens numbered in order of first appearance.</summary>
    public int[] Of(IReadOnlyList<string> tokens)
    {
        var ids = new int[tokens.Count];
        for (int i = 0; i < ids.Length; i++)
        {
            ref int id = ref CollectionsMarshal.GetValueRefOrAddDefault(_ids, tokens[i] ?? throw new ArgumentException($"Token {i} is null.", nameof(tokens)), out bool exists);
            if (!exists)
                id = _ids.Count - 1;
            ids[i] = id;
        }
        return ids;
    }
}
