using MLNetExt.Transforms.WordEmbeddings;
using MLNetExt.Trainers.WordEmbeddings;
using Microsoft.ML;
using MLNetExt.Transforms;

namespace MLNetExt.Estimators.WordEmbeddings;

/// <summary>
/// The column settings every word-embedding estimator shares: the pooled output column, the tokens input column
/// (defaults to the output's name) and the per-token output column (defaults to "&lt;output&gt;.Tokens"), plus pooling.
/// </summary>
internal readonly record struct EmbeddingColumns(string OutputColumnName, string InputColumnName, string TokensColumnName, WordEmbeddingPooling Pooling)
{
    /// <summary>Checks the options' names and pooling (errors name the option) and fills in the defaults.</summary>
    public static EmbeddingColumns Resolve(WordEmbeddingColumnOptions options)
    {
        ColumnChecks.RequireName(options.OutputColumnName, "OutputColumnName");
        if (!Enum.IsDefined(options.Pooling))
            throw new ArgumentOutOfRangeException("Pooling", options.Pooling, "Option Pooling must be MinMeanMax or Mean.");
        return new EmbeddingColumns(
            options.OutputColumnName,
            string.IsNullOrEmpty(options.InputColumnName) ? options.OutputColumnName : options.InputColumnName,
            WordEmbeddingTransformer.TokensColumnOf(options.OutputColumnName, options.TokensColumnName),
            options.Pooling);
    }

    /// <summary>The transformer that maps this estimator's columns with <paramref name="vectors"/>.</summary>
    public WordEmbeddingTransformer Transformer(KeyedVectors vectors, DataViewSchema.Column tokens)
        => new(vectors, WordEmbeddingTransformer.Settings(vectors, tokens.Name, OutputColumnName, TokensColumnName, Pooling));

    /// <summary>The input shape plus the pooled vector (known size) and the per-token vectors (variable size, annotated with D).</summary>
    public SchemaShape OutputShape(SchemaShape inputSchema) => TokenCorpus.OutputShape(inputSchema, InputColumnName, OutputColumnName, TokensColumnName);
}
