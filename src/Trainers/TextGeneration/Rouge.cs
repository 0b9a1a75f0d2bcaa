namespace MLNetExt.Trainers.TextGeneration;

/// <summary>
/// ROUGE (Lin 2004), the recall-oriented overlap of a hypothesis with its references, over token sequences:
/// ROUGE-N counts the n-grams they share (as multisets: an n-gram counts min(times in hypothesis, times in reference));
/// ROUGE-L takes the longest common subsequence (LCS), in order but not necessarily contiguous. Each gives precision,
/// recall and F₁ (<see cref="RougeScore"/>). With several references the one with the best F₁ counts, as Google's
/// rouge-score does. Tokens are compared ordinally: lower-case and tokenize before (see <see cref="GenerationTokenizer"/>).
/// </summary>
public static class Rouge
{
    /// <summary>The longest sequence ROUGE-L compares, in tokens: its table takes time proportional to the product of the two lengths (10⁸ steps, a fraction of a second, at this cap).</summary>
    public const int MaximumLcsTokens = 10_000;

    /// <summary>ROUGE-N of one hypothesis.</summary>
    /// <param name="hypothesis">The hypothesis's tokens.</param>
    /// <param name="references">Its references' tokens, at least one.</param>
    /// <param name="order">n, at least 1.</param>
    /// <exception cref="ArgumentException">There is no reference, or <paramref name="order"/> is below 1.</exception>
    public static RougeScore N(IReadOnlyList<string> hypothesis, IReadOnlyList<IReadOnlyList<string>> references, int order)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(order, 1);
        CheckPair(hypothesis, references);
        var ids = new TokenIds();
        var counts = new NGramCounts(ids.Of(hypothesis), order);
        return Best(references, reference =>
        {
            var referenceCounts = new NGramCounts(ids.Of(reference), order);
            return RougeScore.Of(counts.OverlapWith(referenceCounts), counts.Total, referenceCounts.Total);
        });
    }

    /// <summary>ROUGE-L of one hypothesis: P = LCS / |hypothesis|, R = LCS / |reference|.</summary>
    /// <param name="hypothesis">The hypothesis's tokens.</param>
    /// <param name="references">Its references' tokens, at least one.</param>
    /// <exception cref="ArgumentException">There is no reference, or a sequence is longer than <see cref="MaximumLcsTokens"/>.</exception>
    public static RougeScore L(IReadOnlyList<string> hypothesis, IReadOnlyList<IReadOnlyList<string>> references)
    {
        CheckPair(hypothesis, references);
        var ids = new TokenIds();
        int[] hypothesisIds = ids.Of(hypothesis);
        return Best(references, reference =>
        {
            int[] referenceIds = ids.Of(reference);
            return RougeScore.Of(LongestCommonSubsequence(hypothesisIds, referenceIds), hypothesisIds.Length, referenceIds.Length);
        });
    }

    /// <summary>The length of the longest common subsequence of <paramref name="a"/> and <paramref name="b"/> (dynamic programming, two rows: O(|a|·|b|) time, O(|b|) memory).</summary>
    /// <exception cref="ArgumentException">A sequence is longer than <see cref="MaximumLcsTokens"/>.</exception>
    public static int LongestCommonSubsequence(ReadOnlySpan<int> a, ReadOnlySpan<int> b)
    {
        if (a.Length > MaximumLcsTokens || b.Length > MaximumLcsTokens)
            throw new ArgumentException($"ROUGE-L compares sequences of at most {MaximumLcsTokens:N0} tokens; got {a.Length:N0} and {b.Length:N0}.");
        var previous = new int[b.Length + 1];
        var current = new int[b.Length + 1];
        foreach (int token in a)
        {
            for (int j = 1; j <= b.Length; j++)
                current[j] = token == b[j - 1] ? previous[j - 1] + 1 : Math.Max(previous[j], current[j - 1]);
            (previous, current) = (current, previous);
        }
        return previous[b.Length];
    }

    private static void CheckPair(IReadOnlyList<string> hypothesis, IReadOnlyList<IReadOnlyList<string>> references)
    {
        ArgumentNullException.ThrowIfNull(hypothesis);
        ArgumentNullException.ThrowIfNull(references);
        if (references.Count == 0)
            throw new ArgumentException("A hypothesis needs at least one reference.", nameof(references));
    }

    // The score against the reference with the highest F₁ (the first of equals).
    private static RougeScore Best(IReadOnlyList<IReadOnlyList<string>> references, Func<IReadOnlyList<string>, RougeScore> score)
    {
        RougeScore best = default;
        for (int i = 0; i < references.Count; i++)
        {
            var candidate = score(references[i] ?? throw new ArgumentException($"Reference {i} is null.", nameof(references)));
            if (i == 0 || candidate.F1 > best.F1)
                best = candidate;
        }
        return best;
    }
}
