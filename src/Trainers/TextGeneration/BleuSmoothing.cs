namespace MLNetExt.Trainers.TextGeneration;

/// <summary>
/// How BLEU treats an n-gram order with no match, which would otherwise make the geometric mean, and so the score, 0
/// (Chen &amp; Cherry 2014 compare these). They change nothing for an order that has matches, except <see cref="AddK"/>.
/// </summary>
public enum BleuSmoothing
{
    /// <summary>None: an order with no match gives BLEU = 0 (Papineni et al. 2002; sacrebleu's "none", NLTK's method0).</summary>
    None,

    /// <summary>
    /// p_n = ε / total_n for an order with no match, ε = <see cref="BleuOptions.FloorEpsilon"/> (default 0.1): sacrebleu's
    /// "floor", NLTK's method1.
    /// </summary>
    Floor,

    /// <summary>
    /// The k-th order with no match gets p_n = 1 / (2^k · total_n), k = 1, 2, … from the lowest order up: NIST's
    /// geometric smoothing, sacrebleu's "exp" (its default for sentence BLEU), NLTK's method3.
    /// </summary>
    Exponential,

    /// <summary>
    /// p_n = (matches_n + k) / (total_n + k) for every order n ≥ 2, k = <see cref="BleuOptions.AddK"/> (default 1; Lin &amp;
    /// Och 2004): sacrebleu's "add-k", NLTK's method2 when k = 1.
    /// </summary>
    AddK,
}
