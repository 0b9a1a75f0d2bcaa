namespace MLNetExt.Trainers.TextGeneration;

/// <summary>
/// The sufficient statistics of corpus BLEU, gathered one hypothesis at a time: per order n the clipped matches and the
/// hypothesis n-grams, and the hypothesis and closest-reference lengths. Corpus BLEU pools these over all sentences
/// before taking precisions (Papineni et al. 2002), which is not the mean of sentence BLEU; sentence BLEU is corpus BLEU
/// over one sentence.
/// </summary>
/// <remarks>
/// Conventions, where implementations differ: a hypothesis shorter than n adds no n-gram of order n (as sacrebleu and
/// the original definition; NLTK counts 1 there); a corpus with no unigram match scores 0 whatever the smoothing (as
/// NLTK); an empty corpus or one whose hypotheses are all empty scores 0.
/// </remarks>
public sealed class BleuStatistics
{
    private readonly long[] _matches;
    private readonly long[] _totals;

    /// <summary>Empty statistics for orders 1..<paramref name="maxOrder"/>.</summary>
    /// <param name="maxOrder">N, in [1, 16].</param>
    public BleuStatistics(int maxOrder = 4)
    {
        new BleuOptions { MaxOrder = maxOrder }.Check(nameof(maxOrder));
        _matches = new long[maxOrder];
        _totals = new long[maxOrder];
    }

    /// <summary>N.</summary>
    public int MaxOrder => _matches.Length;

    /// <summary>The hypotheses added.</summary>
    public long Sentences { get; private set; }

    /// <summary>c, the hypotheses' tokens so far.</summary>
    public long HypothesisLength { get; private set; }

    /// <summary>r, the closest references' tokens so far.</summary>
    public long ReferenceLength { get; private set; }

    /// <summary>Adds one hypothesis and its references (tokens compared ordinally; case and tokenization are the caller's).</summary>
    /// <param name="hypothesis">The hypothesis's tokens; may be empty.</param>
    /// <param name="references">Its references, at least one; each may be empty.</param>
    /// <exception cref="ArgumentException">There is no reference, or a token is null.</exception>
    public void Add(IReadOnlyList<string> hypothesis, IReadOnlyList<IReadOnlyList<string>> references)
    {
        ArgumentNullException.ThrowIfNull(hypothesis);
        ArgumentNullException.ThrowIfNull(references);
        if (references.Count == 0)
            throw new ArgumentException("A hypothesis needs at least one reference.", nameof(references));
        var ids = new TokenIds();
        int[] hypothesisIds = ids.Of(hypothesis);
        var referenceIds = references.Select(r => ids.Of(r ?? throw new ArgumentException("A reference is null.", nameof(references)))).ToArray();
        for (int n = 1; n <= MaxOrder; n++)
        {
            var counts = new NGramCounts(hypothesisIds, n);
            _matches[n - 1] += counts.ClippedMatches([.. referenceIds.Select(r => new NGramCounts(r, n))]);
            _totals[n - 1] += counts.Total;
        }
        HypothesisLength += hypothesis.Count;
        ReferenceLength += ClosestReferenceLength(hypothesis.Count, references);
        Sentences++;
    }

    /// <summary>Adds the statistics of <paramref name="other"/> (e.g. gathered by another thread) to these.</summary>
    /// <exception cref="ArgumentException">The two have different orders.</exception>
    public void Add(BleuStatistics other)
    {
        ArgumentNullException.ThrowIfNull(other);
        if (other.MaxOrder != MaxOrder)
            throw new ArgumentException($"Statistics of orders 1..{other.MaxOrder} cannot be added to statistics of orders 1..{MaxOrder}.", nameof(other));
        for (int n = 0; n < MaxOrder; n++)
        {
            _matches[n] += other._matches[n];
            _totals[n] += other._totals[n];
        }
        HypothesisLength += other.HypothesisLength;
        ReferenceLength += other.ReferenceLength;
        Sentences += other.Sentences;
    }

    /// <summary>BLEU over what was added; <paramref name="options"/>' <see cref="BleuOptions.MaxOrder"/> must equal <see cref="MaxOrder"/>.</summary>
    /// <exception cref="ArgumentException">The options' order differs, or a setting is out of range.</exception>
    public BleuScore Score(BleuOptions? options = null)
    {
        options ??= new BleuOptions { MaxOrder = MaxOrder };
        options.Check(nameof(options));
        if (options.MaxOrder != MaxOrder)
            throw new ArgumentException($"The options ask for BLEU-{options.MaxOrder} but the statistics hold orders 1..{MaxOrder}.", nameof(options));
        var precisions = new double[MaxOrder];
        double brevityPenalty = BrevityPenalty(HypothesisLength, ReferenceLength);
        if (HypothesisLength == 0 || _matches[0] == 0)
            return Result(0, precisions, brevityPenalty);
        int unmatchedOrders = 0;
        double logSum = 0;
        for (int n = 0; n < MaxOrder; n++)
        {
            double matches = _matches[n], total = _totals[n];
            if (options.Smoothing == BleuSmoothing.AddK && n > 0)
            {
                matches += options.AddK;
                total += options.AddK;
            }
            precisions[n] = total == 0 ? 0
                : matches > 0 ? matches / total
                : options.Smoothing switch
                {
                    BleuSmoothing.Floor => options.FloorEpsilon / total,
                    BleuSmoothing.Exponential => 1 / (Math.Pow(2, ++unmatchedOrders) * total),
                    _ => 0,
                };
            logSum += Math.Log(precisions[n]);
        }
        // Any zero precision makes the log −∞, and the score exp(−∞) = 0.
        return Result(brevityPenalty * Math.Exp(logSum / MaxOrder), precisions, brevityPenalty);
    }

    private BleuScore Result(double score, double[] precisions, double brevityPenalty) =>
        new(score, precisions, [.. _matches], [.. _totals], brevityPenalty, HypothesisLength, ReferenceLength);

    /// <summary>BP = 1 when c &gt; r, e^(1 − r/c) when 0 &lt; c ≤ r, and 0 when c = 0.</summary>
    public static double BrevityPenalty(long hypothesisLength, long referenceLength) =>
        hypothesisLength > referenceLength ? 1 : hypothesisLength == 0 ? 0 : Math.Exp(1 - referenceLength / (double)hypothesisLength);

    /// <summary>The length of the reference closest in length to a hypothesis of <paramref name="hypothesisLength"/> tokens; the shorter one on a tie.</summary>
    public static int ClosestReferenceLength(int hypothesisLength, IReadOnlyList<IReadOnlyList<string>> references) =>
        references.Select(r => r.Count).MinBy(length => (Math.Abs(length - hypothesisLength), length));
}
