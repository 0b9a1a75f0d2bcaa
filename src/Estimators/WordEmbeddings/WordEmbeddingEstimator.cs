using MLNetExt.Transforms.WordEmbeddings;
using MLNetExt.Trainers.WordEmbeddings;
using Microsoft.ML;

namespace MLNetExt.Estimators.WordEmbeddings;

/// <summary>
/// Maps a column of tokens to pretrained word vectors read from a file (word2vec binary or text, GloVe text; any tool's
/// output: word2vec.c, gensim, GloVe, fastText's .vec, or <see cref="WordEmbeddingTransformer.SaveVectors"/>), as ML.NET's
/// <c>WordEmbeddingEstimator</c> with a custom model file. It learns nothing from the data; the transformer it yields
/// holds the vectors, so a saved model does not need the file. Made by <c>mlContext.Transforms.Text.ApplyWordEmbedding</c>.
/// </summary>
public sealed class WordEmbeddingEstimator : IEstimator<WordEmbeddingTransformer>
{
    private readonly Options _options;
    private readonly EmbeddingColumns _columns;
    private readonly Lazy<KeyedVectors> _vectors;

    internal WordEmbeddingEstimator(Options options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _columns = EmbeddingColumns.Resolve(options);
        if (string.IsNullOrWhiteSpace(options.ModelFile))
            throw new ArgumentException($"Option {nameof(Options.ModelFile)} needs the path of a word-vector file.", nameof(Options.ModelFile));
        if (!File.Exists(options.ModelFile))
            throw new ArgumentException($"The word-vector file '{options.ModelFile}' could not be found.", nameof(Options.ModelFile));
        if (options.Format is { } format && !Enum.IsDefined(format))
            throw new ArgumentOutOfRangeException(nameof(Options.Format), format, $"Option {nameof(Options.Format)} must be null (detect) or one of {string.Join(", ", Enum.GetNames<WordVectorFileFormat>())}.");
        _options = new Options
        {
            OutputColumnName = _columns.OutputColumnName,
            InputColumnName = _columns.InputColumnName,
            TokensColumnName = _columns.TokensColumnName,
            ModelFile = Path.GetFullPath(options.ModelFile),
            Format = options.Format,
            Pooling = options.Pooling,
        };
        _vectors = new Lazy<KeyedVectors>(ReadVectors, LazyThreadSafetyMode.PublicationOnly);
    }

    /// <summary>The settings of <see cref="WordEmbeddingEstimator"/>.</summary>
    public sealed class Options : WordEmbeddingColumnOptions
    {
        /// <summary>The word-vector file; required, and it must exist.</summary>
        public string ModelFile { get; set; } = "";

        /// <summary>The file's format; null (the default) detects it from the content (<see cref="WordVectorFiles.DetectFormat"/>).</summary>
        public WordVectorFileFormat? Format { get; set; }
    }

    /// <summary>Reads the vectors (once per estimator) and checks the tokens column.</summary>
    /// <param name="input">The data; only its schema is checked.</param>
    /// <exception cref="ArgumentOutOfRangeException">The tokens column is missing or not a vector of text.</exception>
    /// <exception cref="InvalidDataException">The file is malformed, truncated, not UTF-8 or holds no words (the message says where).</exception>
    public WordEmbeddingTransformer Fit(IDataView input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var column = TokenCorpus.FindTokens(input, _columns.InputColumnName);
        var vectors = _vectors.Value;
        return _columns.Transformer(vectors, column);
    }

    /// <summary>The input shape plus the pooled vector (known size) and the per-token vectors (variable size, annotated with D).</summary>
    /// <param name="inputSchema">The input's shape; it needs the tokens column, a vector of text.</param>
    public SchemaShape GetOutputSchema(SchemaShape inputSchema) =>
        _columns.OutputShape(inputSchema);

    private KeyedVectors ReadVectors()
    {
        var vectors = WordVectorFiles.Read(_options.ModelFile, _options.Format);
        if (vectors.Count == 0)
            throw new InvalidDataException($"'{_options.ModelFile}' holds no word vectors.");
        return vectors;
    }
}
