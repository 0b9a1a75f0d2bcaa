using MLNetExt.Estimators.WordEmbeddings;
using MLNetExt.Transforms.WordEmbeddings;
using MLNetExt.Trainers.WordEmbeddings;

namespace Microsoft.ML;

/// <summary>
/// The word-embedding transforms of <c>mlContext.Transforms.Text</c>: train Word2Vec or GloVe on a tokens column, or
/// apply pretrained vectors from a file. Each yields a <see cref="WordEmbeddingTransformer"/>.
/// </summary>
public static class WordEmbeddingCatalog
{
    /// <summary>Trains Word2Vec on a tokens column; see <see cref="Word2VecEstimator"/>. Other settings keep gensim's defaults.</summary>
    /// <param name="catalog">The text transforms catalog.</param>
    /// <param name="outputColumnName">The pooled sentence vector column to add ([min, mean, max], 3·vectorSize values); the per-token vectors go to "&lt;outputColumnName&gt;.Tokens".</param>
    /// <param name="inputColumnName">The tokens column, a vector of text; null means <paramref name="outputColumnName"/>.</param>
    /// <param name="vectorSize">D, the length of each word vector; at least 1.</param>
    /// <param name="window">The largest distance between a word and a context word; at least 1.</param>
    /// <param name="skipGram">Skip-gram (true) or CBOW (false, gensim's default).</param>
    /// <param name="negative">Noise words per positive pair, in [0, 100]; 0 turns negative sampling off (then <paramref name="hierarchicalSoftmax"/> must be on).</param>
    /// <param name="hierarchicalSoftmax">Also train a hierarchical softmax over a Huffman tree.</param>
    /// <param name="epochs">Passes over the corpus; at least 1.</param>
    /// <param name="minCount">Words seen fewer times are dropped; at least 1.</param>
    /// <param name="seed">Seed of the initial vectors and of every random draw.</param>
    /// <param name="workers">Training threads, at least 1; null means the processor count. With 1 the result depends only on <paramref name="seed"/>.</param>
    public static Word2VecEstimator TrainWord2Vec(this TransformsCatalog.TextTransforms catalog, string outputColumnName, string? inputColumnName = null,
        int vectorSize = 100, int window = 5, bool skipGram = false, int negative = 5, bool hierarchicalSoftmax = false, int epochs = 5,
        int minCount = 5, ulong seed = 1, int? workers = null)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        var training = new Word2VecOptions
        {
            VectorSize = vectorSize,
            Window = window,
            SkipGram = skipGram,
            Negative = negative,
            HierarchicalSoftmax = hierarchicalSoftmax,
            Epochs = epochs,
            MinCount = minCount,
            Seed = seed,
        };
        if (workers is { } threads)
            training.Workers = threads;
        return new Word2VecEstimator(new Word2VecEstimator.Options { OutputColumnName = outputColumnName, InputColumnName = inputColumnName, Word2Vec = training });
    }

    /// <summary>Trains Word2Vec on a tokens column with every setting; see <see cref="Word2VecEstimator"/>.</summary>
    /// <param name="catalog">The text transforms catalog.</param>
    /// <param name="options">The settings; checked and copied here.</param>
    public static Word2VecEstimator TrainWord2Vec(this TransformsCatalog.TextTransforms catalog, Word2VecEstimator.Options options)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        return new Word2VecEstimator(options);
    }

    /// <summary>Trains GloVe on a tokens column; see <see cref="GloVeEstimator"/>. Other settings keep the Stanford tool's defaults.</summary>
    /// <param name="catalog">The text transforms catalog.</param>
    /// <param name="outputColumnName">The pooled sentence vector column to add ([min, mean, max], 3·vectorSize values); the per-token vectors go to "&lt;outputColumnName&gt;.Tokens".</param>
    /// <param name="inputColumnName">The tokens column, a vector of text; null means <paramref name="outputColumnName"/>.</param>
    /// <param name="vectorSize">D, the length of each word vector; at least 1.</param>
    /// <param name="window">Context words counted on each side of a word; at least 1.</param>
    /// <param name="epochs">Passes over the co-occurrence entries; at least 1.</param>
    /// <param name="minCount">Words seen fewer times are dropped; at least 1.</param>
    /// <param name="xMax">x_max of the weighting f(x) = min(1, (x / x_max)^0.75); positive.</param>
    /// <param name="learningRate">AdaGrad's initial learning rate; positive.</param>
    /// <param name="seed">Seed of the initial weights and of the entry shuffle.</param>
    /// <param name="workers">Training threads, at least 1; null means the processor count. With 1 the result depends only on <paramref name="seed"/>.</param>
    public static GloVeEstimator TrainGloVe(this TransformsCatalog.TextTransforms catalog, string outputColumnName, string? inputColumnName = null,
        int vectorSize = 50, int window = 15, int epochs = 25, int minCount = 5, double xMax = 100, double learningRate = 0.05,
        ulong seed = 1, int? workers = null)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        var training = new GloVeOptions
        {
            VectorSize = vectorSize,
            Window = window,
            Epochs = epochs,
            MinCount = minCount,
            XMax = xMax,
            LearningRate = learningRate,
            Seed = seed,
        };
        if (workers is { } threads)
            training.Workers = threads;
        return new GloVeEstimator(new GloVeEstimator.Options { OutputColumnName = outputColumnName, InputColumnName = inputColumnName, GloVe = training });
    }

    /// <summary>Trains GloVe on a tokens column with every setting; see <see cref="GloVeEstimator"/>.</summary>
    /// <param name="catalog">The text transforms catalog.</param>
    /// <param name="options">The settings; checked and copied here.</param>
    public static GloVeEstimator TrainGloVe(this TransformsCatalog.TextTransforms catalog, GloVeEstimator.Options options)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        return new GloVeEstimator(options);
    }

    /// <summary>
    /// Maps tokens to pretrained vectors from <paramref name="modelFile"/>, as ML.NET's <c>ApplyWordEmbedding</c> with a
    /// custom model file: the output is [min, mean, max] of the known tokens' vectors (3·D values); the per-token vectors
    /// go to "&lt;outputColumnName&gt;.Tokens". See <see cref="WordEmbeddingEstimator"/>.
    /// </summary>
    /// <remarks>
    /// ML.NET has an <c>ApplyWordEmbedding(outputColumnName, customModelFile, inputColumnName)</c> of its own, and C#
    /// picks it for a call with three positional strings. Name this method's argument (<c>modelFile:</c>), pass a
    /// <paramref name="format"/>, or use the options overload to get MLNetExt's transformer, whose saved model holds
    /// the vectors (ML.NET's keeps only the file's path).
    /// </remarks>
    /// <param name="catalog">The text transforms catalog.</param>
    /// <param name="outputColumnName">The pooled sentence vector column to add.</param>
    /// <param name="modelFile">A word2vec (binary or text) or GloVe text file; it must exist.</param>
    /// <param name="inputColumnName">The tokens column, a vector of text; null means <paramref name="outputColumnName"/>.</param>
    /// <param name="format">The file's format; null detects it from the content.</param>
    public static WordEmbeddingEstimator ApplyWordEmbedding(this TransformsCatalog.TextTransforms catalog, string outputColumnName, string modelFile,
        string? inputColumnName = null, WordVectorFileFormat? format = null)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        return new WordEmbeddingEstimator(new WordEmbeddingEstimator.Options
        {
            OutputColumnName = outputColumnName,
            ModelFile = modelFile,
            InputColumnName = inputColumnName,
            Format = format,
        });
    }

    /// <summary>Maps tokens to pretrained vectors with every setting; see <see cref="WordEmbeddingEstimator"/>.</summary>
    /// <param name="catalog">The text transforms catalog.</param>
    /// <param name="options">The settings; checked and copied here.</param>
    public static WordEmbeddingEstimator ApplyWordEmbedding(this TransformsCatalog.TextTransforms catalog, WordEmbeddingEstimator.Options options)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        return new WordEmbeddingEstimator(options);
    }
}
