namespace MLNetExt.Trainers.TextGeneration;

/// <summary>One ROUGE measure: precision P = overlap / hypothesis count, recall R = overlap / reference count, and F₁ = 2PR / (P + R) (0 when P + R = 0).</summary>
/// <param name="Precision">P, in [0, 1].</param>
/// <param name="Recall">R, in [0, 1].</param>
/// <param name="F1">F₁, in [0, 1].</param>
public readonly record struct RougeScore(double Precision, double Recall, double F1)
{
    /// <summary>The score of an overlap of <paramref name="overlap"/> items between <paramref name="hypothesisCount"/> and <paramref name="referenceCount"/>; an empty side gives 0.</summary>
    public static RougeScore Of(long overlap, long hypothesisCount, long referenceCount)
    {
        double precision = hypothesisCount == 0 ? 0 : overlap / (double)hypothesisCount;
        double recall = referenceCount == 0 ? 0 : overlap / (double)referenceCount;
        return new(precision, recall, precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall));
    }
}
