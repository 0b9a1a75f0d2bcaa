using MLNetExt.Trainers.TextGeneration;

namespace MLNetExt.Estimators.TextGeneration;

/// <summary>
/// How close generated texts are to their references, over a whole data set (<see cref="TextGenerationEvaluator"/>).
/// </summary>
public sealed class TextGenerationMetrics
{
    internal TextGenerationMetrics(BleuScore bleu, RougeScore rouge1, RougeScore rouge2, RougeScore rougeL, double exactMatch, long rowCount)
    {
        BleuDetails = bleu;
        Rouge1 = rouge1;
        Rouge2 = rouge2;
        RougeL = rougeL;
        ExactMatch = exactMatch;
        RowCount = rowCount;
    }

    /// <summary>Corpus BLEU in [0, 1]: the n-gram statistics of all rows pooled, then one score (not the mean of sentence scores).</summary>
    public double Bleu => BleuDetails.Score;

    /// <summary>The corpus BLEU's parts: precisions, matches and totals per order, brevity penalty, lengths.</summary>
    public BleuScore BleuDetails { get; }

    /// <summary>ROUGE-1: the mean over rows of each row's unigram precision, recall and F₁ (against its best reference).</summary>
    public RougeScore Rouge1 { get; }

    /// <summary>ROUGE-2: as <see cref="Rouge1"/>, with bigrams.</summary>
    public RougeScore Rouge2 { get; }

    /// <summary>ROUGE-L: as <see cref="Rouge1"/>, with the longest common subsequence.</summary>
    public RougeScore RougeL { get; }

    /// <summary>The fraction of rows whose tokens equal those of one of their references (exact-match accuracy).</summary>
    public double ExactMatch { get; }

    /// <summary>The rows evaluated.</summary>
    public long RowCount { get; }
}
