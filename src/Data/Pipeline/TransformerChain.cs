using System.Collections;

namespace MLNetExt.Data;

/// <summary>
/// Transformers applied one after another, as ML.NET's <c>TransformerChain&lt;TLastTransformer&gt;</c>; what an
/// <see cref="EstimatorChain{TLastTransformer}"/> fits to. Immutable: <see cref="Append{TNewLast}"/> returns a new chain.
/// </summary>
/// <typeparam name="TLastTransformer">The type of the last transformer, kept so its model can be reached.</typeparam>
public sealed class TransformerChain<TLastTransformer> : ITransformer, ICanSaveModel, IEnumerable<ITransformer>
    where TLastTransformer : class, ITransformer
{
    private readonly ITransformer[] _transformers;
    private readonly TransformerScope[] _scopes;

    /// <summary>A chain of <paramref name="transformers"/>, each with the scope at the same position.</summary>
    /// <param name="transformers">The transformers, first applied first; the last must be a <typeparamref name="TLastTransformer"/>.</param>
    /// <param name="scopes">One scope per transformer.</param>
    public TransformerChain(IEnumerable<ITransformer> transformers, IEnumerable<TransformerScope> scopes)
    {
        ArgumentNullException.ThrowIfNull(transformers);
        ArgumentNullException.ThrowIfNull(scopes);
        _transformers = [.. transformers];
        _scopes = [.. scopes];
        if (_transformers.Length != _scopes.Length)
            throw new ArgumentException($"There are {_transformers.Length} transformers but {_scopes.Length} scopes.", nameof(scopes));
        if (_transformers.Any(t => t is null))
            throw new ArgumentException("A chain cannot hold a null transformer.", nameof(transformers));
        if (_transformers.Length > 0 && _transformers[^1] is not TLastTransformer)
            throw new ArgumentException($"The last transformer is a {_transformers[^1].GetType().Name}, not a {typeof(TLastTransformer).Name}.", nameof(transformers));
    }

    /// <summary>A chain of <paramref name="transformers"/>, all in scope <see cref="TransformerScope.Everything"/>.</summary>
    /// <param name="transformers">The transformers, first applied first.</param>
    public TransformerChain(params ITransformer[] transformers)
        : this(transformers, (transformers ?? throw new ArgumentNullException(nameof(transformers))).Select(_ => TransformerScope.Everything))
    {
    }

    /// <summary>The last transformer of the chain.</summary>
    /// <exception cref="InvalidOperationException">The chain is empty.</exception>
    public TLastTransformer LastTransformer => _transformers.Length > 0
        ? (TLastTransformer)_transformers[^1]
        : throw new InvalidOperationException("The transformer chain is empty, so it has no last transformer.");

    /// <summary>Whether every transformer of the chain maps rows one to one.</summary>
    public bool IsRowToRowMapper => _transformers.All(t => t.IsRowToRowMapper);

    /// <summary>The schema after every transformer, checking each step's input.</summary>
    /// <param name="inputSchema">The chain's input schema.</param>
    public DataViewSchema GetOutputSchema(DataViewSchema inputSchema)
    {
        ArgumentNullException.ThrowIfNull(inputSchema);
        var schema = inputSchema;
        foreach (var transformer in _transformers)
            schema = transformer.GetOutputSchema(schema);
        return schema;
    }

    /// <summary>Applies every transformer in turn (lazily).</summary>
    /// <param name="input">The data to transform.</param>
    public IDataView Transform(IDataView input)
    {
        ArgumentNullException.ThrowIfNull(input);
        GetOutputSchema(input.Schema);
        var data = input;
        foreach (var transformer in _transformers)
            data = transformer.Transform(data);
        return data;
    }

    /// <summary>A new chain with <paramref name="transformer"/> appended.</summary>
    /// <typeparam name="TNewLast">The appended transformer's type.</typeparam>
    /// <param name="transformer">The transformer to append.</param>
    /// <param name="scope">When it applies.</param>
    public TransformerChain<TNewLast> Append<TNewLast>(TNewLast transformer, TransformerScope scope = TransformerScope.Everything)
        where TNewLast : class, ITransformer
    {
        ArgumentNullException.ThrowIfNull(transformer);
        return new TransformerChain<TNewLast>([.. _transformers, transformer], [.. _scopes, scope]);
    }

    /// <summary>The chain of the transformers whose scope overlaps <paramref name="scopeFilter"/>, e.g. the scoring model.</summary>
    /// <param name="scopeFilter">The scopes to keep.</param>
    public TransformerChain<ITransformer> GetModelFor(TransformerScope scopeFilter)
    {
        var kept = Enumerable.Range(0, _transformers.Length).Where(i => (_scopes[i] & scopeFilter) != 0).ToArray();
        return new TransformerChain<ITransformer>(kept.Select(i => _transformers[i]), kept.Select(i => _scopes[i]));
    }

    /// <summary>Saves the chain as kind <c>"TransformerChain"</c>: the scopes, and each transformer as a nested model.</summary>
    /// <param name="context">The context to write into.</param>
    /// <exception cref="ArgumentException">A transformer of the chain cannot be saved.</exception>
    public void Save(ModelSaveContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        TransformerChainPersistence.Save(context, _transformers, _scopes);
    }

    /// <inheritdoc />
    public IEnumerator<ITransformer> GetEnumerator() => ((IEnumerable<ITransformer>)_transformers).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
