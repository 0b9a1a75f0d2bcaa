namespace MLNetExt.Data;

/// <summary>
/// Estimators to fit one after another, each on the output of the transformers fitted before it, as ML.NET's
/// <c>EstimatorChain&lt;TLastTransformer&gt;</c>. Immutable: <see cref="Append{TNewTrans}"/> returns a new chain.
/// </summary>
/// <typeparam name="TLastTransformer">The type of the transformer the last estimator fits.</typeparam>
public sealed class EstimatorChain<TLastTransformer> : IEstimator<TransformerChain<TLastTransformer>>
    where TLastTransformer : class, ITransformer
{
    private readonly IEstimator<ITransformer>[] _estimators;
    private readonly TransformerScope[] _scopes;

    /// <summary>An empty chain, to append estimators to.</summary>
    public EstimatorChain() : this([], [])
    {
    }

    private EstimatorChain(IEstimator<ITransformer>[] estimators, TransformerScope[] scopes)
    {
        _estimators = estimators;
        _scopes = scopes;
    }

    /// <summary>The last estimator of the chain.</summary>
    /// <exception cref="InvalidOperationException">The chain is empty.</exception>
    public IEstimator<TLastTransformer> LastEstimator => _estimators.Length > 0
        ? (IEstimator<TLastTransformer>)_estimators[^1]
        : throw new InvalidOperationException("The estimator chain is empty, so it has no last estimator.");

    /// <summary>
    /// The output shape after every estimator, each given the previous one's output: the first missing or
    /// mismatched column fails here, before anything is fitted.
    /// </summary>
    /// <param name="inputSchema">The chain's input shape.</param>
    public SchemaShape GetOutputSchema(SchemaShape inputSchema)
    {
        ArgumentNullException.ThrowIfNull(inputSchema);
        var shape = inputSchema;
        foreach (var estimator in _estimators)
            shape = estimator.GetOutputSchema(shape);
        return shape;
    }

    /// <summary>
    /// Checks the whole chain's columns first, then fits each estimator on the data transformed by the
    /// transformers fitted before it.
    /// </summary>
    /// <param name="input">The training data; not changed.</param>
    public TransformerChain<TLastTransformer> Fit(IDataView input)
    {
        ArgumentNullException.ThrowIfNull(input);
        GetOutputSchema(SchemaShape.Create(input.Schema));
        var transformers = new ITransformer[_estimators.Length];
        var data = input;
        for (int i = 0; i < _estimators.Length; i++)
        {
            transformers[i] = _estimators[i].Fit(data);
            if (i < _estimators.Length - 1)
                data = transformers[i].Transform(data);
        }
        return new TransformerChain<TLastTransformer>(transformers, _scopes);
    }

    /// <summary>A new chain with <paramref name="estimator"/> appended.</summary>
    /// <typeparam name="TNewTrans">The appended estimator's transformer type.</typeparam>
    /// <param name="estimator">The estimator to append.</param>
    /// <param name="scope">When its transformer applies.</param>
    public EstimatorChain<TNewTrans> Append<TNewTrans>(IEstimator<TNewTrans> estimator, TransformerScope scope = TransformerScope.Everything)
        where TNewTrans : class, ITransformer
    {
        ArgumentNullException.ThrowIfNull(estimator);
        return new EstimatorChain<TNewTrans>([.. _estimators, estimator], [.. _scopes, scope]);
    }
}
