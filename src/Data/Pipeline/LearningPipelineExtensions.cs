namespace MLNetExt.Data;

/// <summary>
/// Building pipelines by appending, as ML.NET's <c>LearningPipelineExtensions</c>:
/// <c>ml.Transforms.X(...).Append(ml.Transforms.Y(...)).Append(trainer)</c>.
/// </summary>
public static class LearningPipelineExtensions
{
    /// <summary>A chain of <paramref name="start"/> followed by <paramref name="estimator"/>.</summary>
    /// <typeparam name="TTrans">The appended estimator's transformer type.</typeparam>
    /// <param name="start">The first estimator (a chain is appended to as a whole).</param>
    /// <param name="estimator">The estimator to append.</param>
    /// <param name="scope">When the appended estimator's transformer applies.</param>
    public static EstimatorChain<TTrans> Append<TTrans>(this IEstimator<ITransformer> start, IEstimator<TTrans> estimator,
        TransformerScope scope = TransformerScope.Everything)
        where TTrans : class, ITransformer
    {
        ArgumentNullException.ThrowIfNull(start);
        ArgumentNullException.ThrowIfNull(estimator);
        return new EstimatorChain<ITransformer>().Append(start).Append(estimator, scope);
    }

    /// <summary>A chain of <paramref name="start"/> followed by <paramref name="transformer"/>.</summary>
    /// <typeparam name="TTrans">The appended transformer's type.</typeparam>
    /// <param name="start">The first transformer.</param>
    /// <param name="transformer">The transformer to append.</param>
    public static TransformerChain<TTrans> Append<TTrans>(this ITransformer start, TTrans transformer)
        where TTrans : class, ITransformer
    {
        ArgumentNullException.ThrowIfNull(start);
        ArgumentNullException.ThrowIfNull(transformer);
        return new TransformerChain<TTrans>(start, transformer);
    }
}
