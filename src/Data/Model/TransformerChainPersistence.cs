namespace MLNetExt.Data;

/// <summary>
/// How a <see cref="TransformerChain{TLastTransformer}"/> is saved and loaded: kind <c>"TransformerChain"</c>, the
/// scopes as options, and each transformer as a nested model named by its position.
/// </summary>
internal static class TransformerChainPersistence
{
    public const string Kind = "TransformerChain";

    /// <summary>The saved options: one scope per transformer.</summary>
    public sealed class Options
    {
        /// <summary>The scope of each transformer, in order.</summary>
        public TransformerScope[] Scopes { get; set; } = [];
    }

    public static void Save(ModelSaveContext context, IReadOnlyList<ITransformer> transformers, IReadOnlyList<TransformerScope> scopes)
    {
        context.SetKind(Kind);
        context.SetOptions(new Options { Scopes = [.. scopes] });
        for (int i = 0; i < transformers.Count; i++)
            context.AddModel(i.ToString(System.Globalization.CultureInfo.InvariantCulture), transformers[i]);
    }

    /// <summary>Loads a chain as a <see cref="TransformerChain{TLastTransformer}"/> of <see cref="ITransformer"/>.</summary>
    public static object Load(ModelLoadContext context)
    {
        var options = context.GetOptions<Options>();
        if (options.Scopes.Length != context.ModelNames.Count)
            throw context.Invalid($"it lists {options.Scopes.Length} scopes for {context.ModelNames.Count} transformers");
        var transformers = new ITransformer[options.Scopes.Length];
        for (int i = 0; i < transformers.Length; i++)
            transformers[i] = context.LoadModel<ITransformer>(i.ToString(System.Globalization.CultureInfo.InvariantCulture));
        return new TransformerChain<ITransformer>(transformers, options.Scopes);
    }
}
