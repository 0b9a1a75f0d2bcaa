namespace MLNetExt.Trainers.TextGeneration;

/// <summary>
/// BLEU (Papineni et al. 2002) over token sequences: clipped n-gram precision pₙ for n = 1..N (each hypothesis n-gram
/// credited at most as often as one reference holds it), their geometric mean, and the brevity penalty:
/// BLEU = BP · exp((1/N) Σₙ log pₙ), BP = 1 when c &gt; r, else e^(1 − r/c). See <see cref="BleuStatistics"/> for the
/// conventions and <see cref="BleuSmoothing"/> for the smoothing methods. Tokens are compared ordinally: lower-case and
/// tokenize before (see <see cref="GenerationTokenizer"/>).
/// </summary>
/// <example>
/// "the ball is blue" against "the ball has a blue color": p₁ = 3/4, p₂ = 1/3, BP = e^(1 − 6/4), so
/// BLEU-2 = e^(−0.5) · (3/4 · 1/3)^(1/2) = 0.3033.
/// </example>
public static class Bleu
{
    /// <summary>Corpus BLEU: the statistics of all sentences pooled, then one score.</summary>
    /// <param name="hypotheses">Each hypothesis's tokens.</param>
    /// <param name="references">For each hypothesis, its references' tokens (at least one each).</param>
    /// <param name="options">N and the smoothing; null means BLEU-4 without smoothing.</param>
    /// <exception cref="ArgumentException">The two lists differ in length, a hypothesis has no reference, or an option is out of range.</exception>
    public static BleuScore Corpus(IReadOnlyList<IReadOnlyList<string>> hypotheses, IReadOnlyList<IReadOnlyList<IReadOnlyList<string>>> references, BleuOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(hypotheses);
        ArgumentNullException.ThrowIfNull(references);
        if (hypotheses.Count != references.Count)
            throw new ArgumentException($"There are {hypotheses.Count} hypotheses but {references.Count} reference sets.", nameof(references));
        options ??= new BleuOptions();
        options.Check(nameof(options));
        var statistics = new BleuStatistics(options.MaxOrder);
        for (int i = 0; i < hypotheses.Count; i++)
            statistics.Add(hypotheses[i], references[i]);
        return statistics.Score(options);
    }

    /// <summary>Sentence BLEU: corpus BLEU over one hypothesis (smoothing matters here: one unmatched order gives 0 without it).</summary>
    /// <param name="hypothesis">The hypothesis's tokens.</param>
    /// <param name="references">Its references' tokens, at least one.</param>
    /// <param name="options">N and the smoothing; null means BLEU-4 without smoothing.</param>
    public static BleuScore Sentence(IReadOnlyList<string> hypothesis, IReadOnlyList<IReadOnlyList<string>> references, BleuOptions? options = null) =>
        Corpus([hypothesis], [references], options);
}
