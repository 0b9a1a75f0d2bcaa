using MLNetExt.Transforms.WordEmbeddings;
using MLNetExt.Trainers.WordEmbeddings;
using Microsoft.ML;

namespace MLNetExt.Estimators.WordEmbeddings;

/// <summary>
/// Trains GloVe on a column of tokens (one sentence per row; windows do not cross rows) and yields a
/// <see cref="WordEmbeddingTransformer"/> that maps tokens to the learned vectors (W + W̃): a pooled sentence vector
/// and the per-token vectors. Training is <see cref="GloVeTrainer"/> (the Stanford tool's behaviour) with
/// <see cref="Options.GloVe"/>'s hyperparameters. Made by <c>mlContext.Transforms.Text.TrainGloVe</c>.
/// </summary>
public sealed class GloVeEstimator : IEstimator<WordEmbeddingTransformer>
{
    private readonly Options _options;
    private readonly EmbeddingColumns _columns;
    private readonly GloVeOptions _training;

    internal GloVeEstimator(Options options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _columns = EmbeddingColumns.Resolve(options);
        if (options.GloVe is null)
            throw new ArgumentException($"Option {nameof(Options.GloVe)} needs the GloVe hyperparameters.", nameof(Options.GloVe));
        options.GloVe.Validate();
        _training = EmbeddingOptionsCopy.Of(options.GloVe);
        _options = new Options
        {
            OutputColumnName = _columns.OutputColumnName,
            InputColumnName = _columns.InputColumnName,
            TokensColumnName = _columns.TokensColumnName,
            Pooling = options.Pooling,
            GloVe = _training,
            Progress = options.Progress,
            CancellationToken = options.CancellationToken,
        };
    }

    /// <summary>The settings of <see cref="GloVeEstimator"/>: columns, pooling, hyperparameters, progress and cancellation.</summary>
    public sealed class Options : WordEmbeddingColumnOptions
    {
        /// <summary>The GloVe hyperparameters (the Stanford tool's defaults); checked with <see cref="GloVeOptions.Validate"/> and copied when the estimator is made.</summary>
        public GloVeOptions GloVe { get; set; } = new();

        /// <summary>Receives a <see cref="GloVeProgress"/> at the end of each epoch; null reports nothing.</summary>
        public IProgress<GloVeProgress>? Progress { get; set; }

        /// <summary>
        /// Stops counting or training once cancelled (checked every 65,536 co-occurrence entries); <c>Fit</c> then throws
        /// an <see cref="OperationCanceledException"/> and keeps nothing.
        /// </summary>
        public CancellationToken CancellationToken { get; set; }
    }

    /// <summary>Counts co-occurrences within each row's tokens and trains the vectors. The input is not changed.</summary>
    /// <param name="input">The data, with the tokens column.</param>
    /// <exception cref="ArgumentOutOfRangeException">The tokens column is missing or not a vector of text.</exception>
    /// <exception cref="InvalidOperationException">The column holds no tokens, no word reaches <see cref="GloVeOptions.MinCount"/>, or no two kept words share a window; the message names the column.</exception>
    /// <exception cref="OperationCanceledException">The options' cancellation token was cancelled.</exception>
    public WordEmbeddingTransformer Fit(IDataView input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var column = TokenCorpus.FindTokens(input, _columns.InputColumnName);
        var sentences = TokenCorpus.Read(input, column, _options.CancellationToken);
        var trainer = new GloVeTrainer(_training);
        Vocabulary vocabulary;
        try
        {
            vocabulary = trainer.BuildVocabulary(sentences);
        }
        catch (ArgumentException)
        {
            throw TokenCorpus.BelowMinCount(column.Name, sentences, _training.MinCount, $"{nameof(GloVeOptions)}.{nameof(GloVeOptions.MinCount)}");
        }
        var cooccurrences = trainer.CountCooccurrences(sentences, vocabulary, _options.CancellationToken);
        if (cooccurrences.Count == 0)
            throw new InvalidOperationException(
                $"Column '{column.Name}': no two kept words occur within {_training.Window} tokens of each other in a row, so GloVe has nothing to fit. Give rows of several tokens or lower {nameof(GloVeOptions)}.{nameof(GloVeOptions.MinCount)}.");
        var vectors = trainer.Train(cooccurrences, _options.Progress, _options.CancellationToken);
        return _columns.Transformer(vectors, column);
    }

    /// <summary>The input shape plus the pooled vector (known size) and the per-token vectors (variable size, annotated with D).</summary>
    /// <param name="inputSchema">The input's shape; it needs the tokens column, a vector of text.</param>
    public SchemaShape GetOutputSchema(SchemaShape inputSchema) =>
        _columns.OutputShape(inputSchema);
}
