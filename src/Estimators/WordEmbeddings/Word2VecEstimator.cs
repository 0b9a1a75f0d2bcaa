using MLNetExt.Transforms.WordEmbeddings;
using MLNetExt.Trainers.WordEmbeddings;
using Microsoft.ML;

namespace MLNetExt.Estimators.WordEmbeddings;

/// <summary>
/// Trains Word2Vec on a column of tokens (one sentence per row) and yields a <see cref="WordEmbeddingTransformer"/>
/// that maps tokens to the learned vectors: a pooled sentence vector and the per-token vectors. Training is
/// <see cref="Word2VecTrainer"/> (gensim 4.2's behaviour) with <see cref="Options.Word2Vec"/>'s hyperparameters.
/// Made by <c>mlContext.Transforms.Text.TrainWord2Vec</c>.
/// </summary>
/// <example>
/// <code>
/// var pipeline = ml.Transforms.Text.TokenizeIntoWords("Tokens", "Text")
///     .Append(ml.Transforms.Text.TrainWord2Vec("Embedding", "Tokens", vectorSize: 50, minCount: 2));
/// var model = pipeline.Fit(data);
/// var vectors = ((WordEmbeddingTransformer)model.LastTransformer).Vectors;
/// </code>
/// </example>
public sealed class Word2VecEstimator : IEstimator<WordEmbeddingTransformer>
{
    private readonly Options _options;
    private readonly EmbeddingColumns _columns;
    private readonly Word2VecOptions _training;

    internal Word2VecEstimator(Options options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _columns = EmbeddingColumns.Resolve(options);
        if (options.Word2Vec is null)
            throw new ArgumentException($"Option {nameof(Options.Word2Vec)} needs the Word2Vec hyperparameters.", nameof(Options.Word2Vec));
        options.Word2Vec.Validate();
        _training = EmbeddingOptionsCopy.Of(options.Word2Vec);
        _options = new Options
        {
            OutputColumnName = _columns.OutputColumnName,
            InputColumnName = _columns.InputColumnName,
            TokensColumnName = _columns.TokensColumnName,
            Pooling = options.Pooling,
            Word2Vec = _training,
            Progress = options.Progress,
            CancellationToken = options.CancellationToken,
        };
    }

    /// <summary>The settings of <see cref="Word2VecEstimator"/>: columns, pooling, hyperparameters, progress and cancellation.</summary>
    public sealed class Options : WordEmbeddingColumnOptions
    {
        /// <summary>The Word2Vec hyperparameters (gensim's defaults); checked with <see cref="Word2VecOptions.Validate"/> and copied when the estimator is made.</summary>
        public Word2VecOptions Word2Vec { get; set; } = new();

        /// <summary>Receives a <see cref="Word2VecProgress"/> at the end of each epoch, on a training thread; null reports nothing.</summary>
        public IProgress<Word2VecProgress>? Progress { get; set; }

        /// <summary>
        /// Stops training before the next job of about <see cref="Word2VecOptions.BatchWords"/> tokens once cancelled;
        /// <c>Fit</c> then throws an <see cref="OperationCanceledException"/> and keeps nothing (partially trained
        /// vectors are not a model).
        /// </summary>
        public CancellationToken CancellationToken { get; set; }
    }

    /// <summary>Trains the vectors on every row's tokens. The input is not changed.</summary>
    /// <param name="input">The data, with the tokens column.</param>
    /// <exception cref="ArgumentOutOfRangeException">The tokens column is missing or not a vector of text.</exception>
    /// <exception cref="InvalidOperationException">The column holds no tokens, or no word reaches <see cref="Word2VecOptions.MinCount"/>; the message names the column.</exception>
    /// <exception cref="OperationCanceledException">The options' cancellation token was cancelled.</exception>
    public WordEmbeddingTransformer Fit(IDataView input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var column = TokenCorpus.FindTokens(input, _columns.InputColumnName);
        var sentences = TokenCorpus.Read(input, column, _options.CancellationToken);
        var trainer = new Word2VecTrainer(_training);
        Vocabulary vocabulary;
        try
        {
            vocabulary = trainer.BuildVocabulary(sentences);
        }
        catch (ArgumentException)
        {
            throw TokenCorpus.BelowMinCount(column.Name, sentences, _training.MinCount, $"{nameof(Word2VecOptions)}.{nameof(Word2VecOptions.MinCount)}");
        }
        var vectors = trainer.Train(sentences, vocabulary, _options.Progress, _options.CancellationToken);
        return _columns.Transformer(vectors, column);
    }

    /// <summary>The input shape plus the pooled vector (known size) and the per-token vectors (variable size, annotated with D).</summary>
    /// <param name="inputSchema">The input's shape; it needs the tokens column, a vector of text.</param>
    public SchemaShape GetOutputSchema(SchemaShape inputSchema) =>
        _columns.OutputShape(inputSchema);
}
