namespace MLNetExt.Trainers.WordEmbeddings;

/// <summary>The outcome of <see cref="KeyedVectors.EvaluateAnalogies"/>.</summary>
/// <param name="Correct">Questions whose expected word ranked first.</param>
/// <param name="Answered">Questions whose four words were all in the searched vocabulary.</param>
/// <param name="Skipped">Questions left out because a word was missing.</param>
public readonly record struct AnalogyEvaluation(int Correct, int Answered, int Skipped)
{
    /// <summary>Correct / Answered (0 when nothing was answered).</summary>
    public double Accuracy => Answered == 0 ? 0 : (double)Correct / Answered;
}
