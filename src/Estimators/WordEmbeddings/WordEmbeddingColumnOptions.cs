using MLNetExt.Trainers.WordEmbeddings;
namespace MLNetExt.Estimators.WordEmbeddings;

/// <summary>
/// The columns and pooling every word-embedding estimator's options share: the tokens column it reads, and the pooled
/// sentence vector and per-token vectors columns it adds.
/// </summary>
public abstract class WordEmbeddingColumnOptions
{
    private protected WordEmbeddingColumnOptions()
    {
    }

    /// <summary>The pooled sentence vector column to add; required.</summary>
    public string OutputColumnName { get; set; } = "";

    /// <summary>The tokens column, a vector of text; null or empty means <see cref="OutputColumnName"/>.</summary>
    public string? InputColumnName { get; set; }

    /// <summary>The per-token vectors column to add; null or empty means "&lt;OutputColumnName&gt;.Tokens".</summary>
    public string? TokensColumnName { get; set; }

    /// <summary>How token vectors are pooled; <see cref="WordEmbeddingPooling.MinMeanMax"/> (ML.NET's 3·D layout) by default.</summary>
    public WordEmbeddingPooling Pooling { get; set; }
}
