using MLNetExt.Transforms.Persistence;
using MLNetExt.Trainers.WordEmbeddings;
using TensorPrimitives = System.Numerics.Tensors.TensorPrimitives;
using MLNetExt.Core;
using Microsoft.ML;
using Microsoft.ML.Data;
using MLNetExt.Transforms.Saving;
using MLNetExt.Transforms;

namespace MLNetExt.Transforms.WordEmbeddings;

/// <summary>
/// Maps a column of tokens (a vector of text, e.g. from <c>TokenizeIntoWords</c>) to word vectors, adding two columns:
/// <list type="bullet">
/// <item>the pooled sentence vector (<see cref="OutputColumnName"/>), a known-size vector of Single: with
/// <see cref="WordEmbeddingPooling.MinMeanMax"/> (the default) 3·D values [min, mean, max] over the known tokens, as
/// ML.NET's <c>ApplyWordEmbedding</c>; with <see cref="WordEmbeddingPooling.Mean"/> the D values of the mean;</item>
/// <item>the per-token vectors (<see cref="TokensColumnName"/>), a variable-size vector of Single of length T·D for T
/// tokens, row-major: values t·D .. t·D+D−1 are the vector of token t. It carries the annotation
/// <see cref="EmbeddingDimensionAnnotation"/> (Int32, D) so that a consumer can reshape it to [T, D].</item>
/// </list>
/// Tokens are looked up exactly (ordinal, case-sensitive). As in ML.NET, an unknown token (one without a vector, or an
/// empty or missing one) is left out of the pooled vector: the mean divides by the number of known tokens. A row with
/// no known token (an empty token list included) gets ML.NET's values: a mean of 0, and, in the min and max thirds,
/// <see cref="float.MaxValue"/> and <see cref="float.MinValue"/>, the starting points of the reductions. In the
/// per-token column an unknown token gets a zero vector, so that token t stays at position t.
/// </summary>
/// <remarks>
/// Made by <c>mlContext.Transforms.Text.TrainWord2Vec</c>, <c>TrainGloVe</c> or <c>ApplyWordEmbedding</c>. Saved as
/// kind <c>"WordEmbedding"</c>: the column names and pooling as options, the vocabulary as a text list and the V×D
/// vectors as a tensor, so a saved model does not depend on the file the vectors came from.
/// </remarks>
public sealed class WordEmbeddingTransformer : ColumnAddingTransformer
{
    /// <summary>The annotation on the per-token column holding D, the length of each token's vector (Int32).</summary>
    public const string EmbeddingDimensionAnnotation = "EmbeddingDimension";

    internal const string Kind = "WordEmbedding";
    private const string WordsName = "words";
    private const string VectorsName = "vectors";

    private readonly SavedOptions _settings;
    private readonly Dictionary<string, int>.AlternateLookup<ReadOnlySpan<char>> _lookup;

    internal WordEmbeddingTransformer(KeyedVectors vectors, SavedOptions settings)
    {
        if (vectors.Count == 0)
            throw new ArgumentException("The word vectors hold no words.", nameof(vectors));
        Vectors = vectors;
        _settings = settings;
        var index = new Dictionary<string, int>(vectors.Count, StringComparer.Ordinal);
        for (int i = 0; i < vectors.Count; i++)
            index.Add(vectors.Words[i], i);
        _lookup = index.GetAlternateLookup<ReadOnlySpan<char>>();
    }

    /// <summary>The saved settings: columns and pooling.</summary>
    internal sealed class SavedOptions
    {
        public string InputColumnName { get; set; } = "";

        public string OutputColumnName { get; set; } = "";

        public string TokensColumnName { get; set; } = "";

        public WordEmbeddingPooling Pooling { get; set; }

        public int WordCount { get; set; }

        public int VectorSize { get; set; }
    }

    /// <summary>The word vectors: query them with <see cref="KeyedVectors.Similarity"/>, <see cref="KeyedVectors.MostSimilar(string, int)"/>, <see cref="KeyedVectors.Analogy"/>.</summary>
    public KeyedVectors Vectors { get; }

    /// <summary>The tokens column read: a vector of text.</summary>
    public string InputColumnName => _settings.InputColumnName;

    /// <summary>The pooled sentence vector column added.</summary>
    public string OutputColumnName => _settings.OutputColumnName;

    /// <summary>The per-token vectors column added (T·D values, row-major).</summary>
    public string TokensColumnName => _settings.TokensColumnName;

    /// <summary>How token vectors are pooled into <see cref="OutputColumnName"/>.</summary>
    public WordEmbeddingPooling Pooling => _settings.Pooling;

    /// <summary>The length of the pooled vector: 3·D for <see cref="WordEmbeddingPooling.MinMeanMax"/>, D for <see cref="WordEmbeddingPooling.Mean"/>.</summary>
    public int PooledSize => PooledSizeOf(_settings.Pooling, Vectors.VectorSize);

    /// <summary>Writes the vectors to a file that word2vec, gensim, GloVe or <c>ApplyWordEmbedding</c> read; the file is replaced atomically.</summary>
    /// <param name="path">The file.</param>
    /// <param name="format">The format.</param>
    /// <exception cref="ArgumentException">A word is empty or holds whitespace, which these formats cannot represent.</exception>
    public void SaveVectors(string path, WordVectorFileFormat format) => WordVectorFiles.Write(Vectors, path, format);

    /// <inheritdoc />
    private protected override ITransformer CreateSavableForm() => throw NotYetSavable();

    /// <inheritdoc />
    private protected override ExportedGraph ExportGraph() => throw NotYetSavable();

    private NotSupportedException NotYetSavable() =>
        new($"Saving a {GetType().Name} into an ML.NET model file is not available yet.");

    /// <summary>Saves the column names, the pooling, the vocabulary and the vectors.</summary>
    /// <param name="context">The context to write into.</param>
    internal void WriteNativeState(NativeModelWriter context)
    {
        ArgumentNullException.ThrowIfNull(context);
        context.SetKind(Kind);
        context.SetOptions(_settings);
        context.AddValues<string>(WordsName, [.. Vectors.Words]);
        context.AddTensor(VectorsName, Tensor.FromValues(Vectors.Vectors, Vectors.Count, Vectors.VectorSize));
    }

    internal static WordEmbeddingTransformer Load(NativeModelReader context)
    {
        var settings = context.GetOptions<SavedOptions>();
        if (string.IsNullOrEmpty(settings.InputColumnName) || string.IsNullOrEmpty(settings.OutputColumnName) || string.IsNullOrEmpty(settings.TokensColumnName))
            throw context.Invalid("it needs input, output and tokens column names");
        if (!Enum.IsDefined(settings.Pooling))
            throw context.Invalid($"its pooling '{settings.Pooling}' is unknown");
        if (settings.WordCount < 1 || settings.VectorSize < 1)
            throw context.Invalid($"it has {settings.WordCount} words of {settings.VectorSize} dimensions; it needs at least one word of at least one dimension");
        var words = context.GetValues<string>(WordsName);
        if (words.Length != settings.WordCount)
            throw context.Invalid($"it lists {words.Length} words, expected {settings.WordCount}");
        var vectors = context.GetTensor(VectorsName, settings.WordCount, settings.VectorSize);
        return new WordEmbeddingTransformer(new KeyedVectors(words, vectors.Span.ToArray(), settings.VectorSize), settings);
    }

    internal static int PooledSizeOf(WordEmbeddingPooling pooling, int dimensions) =>
        pooling == WordEmbeddingPooling.MinMeanMax ? 3 * dimensions : dimensions;

    /// <summary>The settings of a transformer over <paramref name="vectors"/>, with the tokens column defaulting to "&lt;output&gt;.Tokens".</summary>
    internal static SavedOptions Settings(KeyedVectors vectors, string inputColumnName, string outputColumnName, string? tokensColumnName, WordEmbeddingPooling pooling) => new()
    {
        InputColumnName = inputColumnName,
        OutputColumnName = outputColumnName,
        TokensColumnName = TokensColumnOf(outputColumnName, tokensColumnName),
        Pooling = pooling,
        WordCount = vectors.Count,
        VectorSize = vectors.VectorSize,
    };

    internal static string TokensColumnOf(string outputColumnName, string? tokensColumnName) =>
        string.IsNullOrEmpty(tokensColumnName) ? outputColumnName + ".Tokens" : tokensColumnName;

    /// <summary>The annotations of the per-token column: <see cref="EmbeddingDimensionAnnotation"/> = D.</summary>
    internal static DataViewSchema.Annotations TokensAnnotations(int dimensions)
    {
        var builder = new DataViewSchema.Annotations.Builder();
        builder.Add(EmbeddingDimensionAnnotation, NumberDataViewType.Int32, (ref int value) => value = dimensions);
        return builder.ToAnnotations();
    }

    /// <summary>Whether <paramref name="type"/> is a vector of text, the only input the transform reads.</summary>
    internal static bool IsTokens(DataViewType type) => type is VectorDataViewType vector && vector.ItemType.Equals(TextDataViewType.Instance);

    internal const string ExpectedInput = "Vector<String> (tokens, e.g. from TokenizeIntoWords)";

    private protected override AddedColumn[] Bind(DataViewSchema schema)
    {
        var input = ColumnChecks.Find(schema, InputColumnName);
        if (!IsTokens(input.Type))
            throw ColumnChecks.WrongType(input.Name, ExpectedInput, input.Type);
        int d = Vectors.VectorSize;
        var pooledColumn = new DataViewSchema.DetachedColumn(OutputColumnName, new VectorDataViewType(NumberDataViewType.Single, PooledSize));
        var tokensColumn = new DataViewSchema.DetachedColumn(TokensColumnName, new VectorDataViewType(NumberDataViewType.Single), TokensAnnotations(d));
        var pooled = ColumnGetterFactory.Of<VBuffer<float>>(row =>
        {
            var getter = row.GetGetter<VBuffer<ReadOnlyMemory<char>>>(input);
            VBuffer<ReadOnlyMemory<char>> tokens = default;
            return (ref VBuffer<float> value) =>
            {
                getter(ref tokens);
                var editor = VBufferEditor.Create(ref value, PooledSize);
                Pool(tokens.GetValues(), editor.Values);
                value = editor.Commit();
            };
        });
        var perToken = ColumnGetterFactory.Of<VBuffer<float>>(row =>
        {
            var getter = row.GetGetter<VBuffer<ReadOnlyMemory<char>>>(input);
            VBuffer<ReadOnlyMemory<char>> tokens = default;
            return (ref VBuffer<float> value) =>
            {
                getter(ref tokens);
                var values = tokens.GetValues();
                var editor = VBufferEditor.Create(ref value, checked(values.Length * d));
                var output = editor.Values;
                for (int t = 0; t < values.Length; t++)
                {
                    var slot = output.Slice(t * d, d);
                    if (TryGetRow(values[t], out int row))
                        Vectors.GetVector(row).CopyTo(slot);
                    else
                        slot.Clear();
                }
                value = editor.Commit();
            };
        });
        return [new AddedColumn(pooledColumn, [input], pooled), new AddedColumn(tokensColumn, [input], perToken)];
    }

    /// <summary>
    /// Pools the known tokens' vectors into <paramref name="output"/> (3·D or D values). Shapes: each vector [D];
    /// min, sum and max are accumulated in token order, then the sum is divided by the count of known tokens.
    /// </summary>
    private void Pool(ReadOnlySpan<ReadOnlyMemory<char>> tokens, Span<float> output)
    {
        int d = Vectors.VectorSize;
        bool minMeanMax = Pooling == WordEmbeddingPooling.MinMeanMax;
        var min = minMeanMax ? output[..d] : default;
        var mean = minMeanMax ? output.Slice(d, d) : output;
        var max = minMeanMax ? output.Slice(2 * d, d) : default;
        min.Fill(float.MaxValue);
        mean.Clear();
        max.Fill(float.MinValue);
        int known = 0;
        foreach (var token in tokens)
        {
            if (!TryGetRow(token, out int row))
                continue;
            var vector = Vectors.GetVector(row);
            known++;
            TensorPrimitives.Add(mean, vector, mean);
            if (minMeanMax)
            {
                TensorPrimitives.Min(min, vector, min);
                TensorPrimitives.Max(max, vector, max);
            }
        }
        if (known > 0)
            TensorPrimitives.Divide(mean, (float)known, mean);
    }

    private bool TryGetRow(ReadOnlyMemory<char> token, out int row) => _lookup.TryGetValue(token.Span, out row);
}
