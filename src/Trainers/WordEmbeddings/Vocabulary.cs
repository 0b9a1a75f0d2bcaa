using System.Runtime.InteropServices;

namespace MLNetExt.Trainers.WordEmbeddings;

/// <summary>
/// The words an embedding is trained for, with their corpus counts, sorted by descending count (ties keep the
/// order of first appearance), exactly as gensim's <c>build_vocab</c> orders them: index 0 is the most frequent word.
/// </summary>
public sealed class Vocabulary
{
    private readonly string[] _words;
    private readonly long[] _counts;
    private readonly Dictionary<string, int> _index;

    private Vocabulary(string[] words, long[] counts, long rawWordCount)
    {
        _words = words;
        _counts = counts;
        RawWordCount = rawWordCount;
        _index = new Dictionary<string, int>(words.Length, StringComparer.Ordinal);
        for (int i = 0; i < words.Length; i++) _index.Add(words[i], i);
        long total = 0;
        foreach (long c in counts) total += c;
        RetainedWordCount = total;
    }

    /// <summary>The number of words kept.</summary>
    public int Count => _words.Length;

    /// <summary>The kept words, most frequent first.</summary>
    public IReadOnlyList<string> Words => _words;

    /// <summary>The corpus count of each kept word, aligned with <see cref="Words"/>.</summary>
    public IReadOnlyList<long> Counts => _counts;

    /// <summary>Every token the corpus held, kept or not.</summary>
    public long RawWordCount { get; }

    /// <summary>The tokens of kept words: the sum of <see cref="Counts"/>.</summary>
    public long RetainedWordCount { get; }

    /// <summary>The index of <paramref name="word"/>, or -1 when it is not in the vocabulary.</summary>
    public int IndexOf(string word) => _index.TryGetValue(word, out int i) ? i : -1;

    /// <summary>
    /// Counts the words of <paramref name="sentences"/> and keeps those seen at least <paramref name="minCount"/>
    /// times. With <paramref name="maxFinalVocab"/>, the threshold is raised as gensim's <c>max_final_vocab</c> does:
    /// to one more than the count of the (maxFinalVocab+1)-th most frequent word, so at most that many words stay
    /// and words tied at the cut are all dropped.
    /// </summary>
    /// <exception cref="ArgumentException">The corpus holds no word, or no word reaches the threshold.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="minCount"/> &lt; 1 or <paramref name="maxFinalVocab"/> &lt; 1.</exception>
    public static Vocabulary Build(IEnumerable<IReadOnlyList<string>> sentences, int minCount, int? maxFinalVocab = null)
    {
        ArgumentNullException.ThrowIfNull(sentences);
        ArgumentOutOfRangeException.ThrowIfLessThan(minCount, 1, nameof(minCount));
        if (maxFinalVocab is int max) ArgumentOutOfRangeException.ThrowIfLessThan(max, 1, nameof(maxFinalVocab));
        var counts = new Dictionary<string, long>(StringComparer.Ordinal);
        var firstSeen = new List<string>();
        long raw = 0;
        foreach (var sentence in sentences)
        {
            if (sentence is null) throw new ArgumentException("The corpus holds a null sentence.", nameof(sentences));
            foreach (string word in sentence)
            {
                if (word is null) throw new ArgumentException("The corpus holds a null word.", nameof(sentences));
                ref long c = ref CollectionsMarshal.GetValueRefOrAddDefault(counts, word, out bool existed);
                if (!existed) firstSeen.Add(word);
                c++;
                raw++;
            }
        }
        return FromCounts(firstSeen.Select(w => new KeyValuePair<string, long>(w, counts[w])), minCount, maxFinalVocab, raw, nameof(sentences));
    }

    /// <summary>
    /// A vocabulary from ready-made counts (e.g. a <c>vocab_count</c> file), in the given order for ties, with the
    /// same thresholds as <see cref="Build"/>.
    /// </summary>
    /// <exception cref="ArgumentException">No word is given, a count is not positive, a word repeats, or no word reaches the threshold.</exception>
    public static Vocabulary FromCounts(IEnumerable<KeyValuePair<string, long>> wordCounts, int minCount, int? maxFinalVocab = null)
    {
        ArgumentNullException.ThrowIfNull(wordCounts);
        var list = wordCounts.ToList();
        long raw = 0;
        foreach (var (word, count) in list)
        {
            if (word is null) throw new ArgumentException("A word is null.", nameof(wordCounts));
            if (count < 1) throw new ArgumentException($"The count of '{word}' is {count}; counts must be positive.", nameof(wordCounts));
            raw += count;
        }
        return FromCounts(list, minCount, maxFinalVocab, raw, nameof(wordCounts));
    }

    private static Vocabulary FromCounts(IEnumerable<KeyValuePair<string, long>> wordCounts, int minCount, int? maxFinalVocab, long raw, string parameter)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(minCount, 1, nameof(minCount));
        var entries = wordCounts.ToArray();
        if (entries.Length == 0) throw new ArgumentException("The corpus is empty: it holds no words.", parameter);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var e in entries)
            if (!seen.Add(e.Key)) throw new ArgumentException($"The word '{e.Key}' appears twice.", parameter);

        // A stable sort keeps first-appearance order among equal counts, as Python's sorted() does in gensim.
        var sorted = entries.Select((e, i) => (e.Key, e.Value, i)).OrderByDescending(e => e.Value).ThenBy(e => e.i).ToArray();
        long threshold = minCount;
        if (maxFinalVocab is int max && sorted.Length > max) threshold = Math.Max(threshold, sorted[max].Value + 1);
        int kept = 0;
        while (kept < sorted.Length && sorted[kept].Value >= threshold) kept++;
        if (kept == 0)
            throw new ArgumentException(
                $"No word occurs at least {threshold} times (min_count {minCount}" +
                (maxFinalVocab is null ? "" : $", max_final_vocab {maxFinalVocab}") +
                $"); the most frequent word, '{sorted[0].Key}', occurs {sorted[0].Value} times.", parameter);
        return new Vocabulary(
            sorted.Take(kept).Select(e => e.Key).ToArray(),
            sorted.Take(kept).Select(e => e.Value).ToArray(),
            raw);
    }
}
