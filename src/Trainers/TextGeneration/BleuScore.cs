namespace MLNetExt.Trainers.TextGeneration;

/// <summary>
/// A BLEU score and what it is made of: BLEU = BP · exp((1/N) Σₙ log pₙ), pₙ = matchesₙ / totalsₙ (after smoothing), with
/// BP = 1 when c &gt; r and e^(1 − r/c) otherwise (c: hypothesis tokens, r: reference tokens, each hypothesis taking the
/// reference closest to it in length, the shorter one on a tie).
/// </summary>
/// <param name="Score">BLEU, in [0, 1] (sacrebleu reports 100 times this).</param>
/// <param name="Precisions">pₙ for n = 1..N, after smoothing.</param>
/// <param name="Matches">The clipped n-gram matches of each order, before smoothing.</param>
/// <param name="Totals">The hypothesis n-grams of each order.</param>
/// <param name="BrevityPenalty">BP.</param>
/// <param name="HypothesisLength">c, the hypotheses' tokens.</param>
/// <param name="ReferenceLength">r, the tokens of the reference closest in length to each hypothesis, summed.</param>
public sealed record BleuScore(double Score, IReadOnlyList<double> Precisions, IReadOnlyList<long> Matches, IReadOnlyList<long> Totals,
    double BrevityPenalty, long HypothesisLength, long ReferenceLength);
