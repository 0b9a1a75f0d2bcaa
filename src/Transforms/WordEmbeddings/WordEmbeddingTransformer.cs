using MLNetExt.Transforms.Persistence;
using MLNetExt.Trainers.WordEmbeddings;
using TensorPrimitives = System.Numerics.Tensors.TensorPrimitives;
using MLNetExt.Core;
using MLNetExt.Core.Onnx;
using Microsoft.ML;
using Microsoft.ML.Data;
using MLNetExt.Transforms.Saving;

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

    // The graph's outputs: intermediate columns of the saved form, copied into the output columns.
    private const string PooledOutput = "MLNetExt.Pooled";
    private const string TokensOutput = "MLNetExt.Tokens";

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

    /// <summary>
    /// The saved form: ML.NET's OnnxTransformer over <see cref="ExportGraph"/>, whose two outputs
    /// <c>CopyColumns</c> turns into the pooled and per-token columns (the graph cannot name an output as the
    /// tokens column it reads, which is the default when the output column is also the input).
    /// </summary>
    /// <remarks>
    /// The per-token column keeps its type (a variable-size vector of Single) and values, but not its
    /// <see cref="EmbeddingDimensionAnnotation"/>: no ML.NET transform adds an arbitrary annotation, and
    /// OnnxTransformer writes none. In a loaded model, D is the pooled column's size (divided by 3 with
    /// <see cref="WordEmbeddingPooling.MinMeanMax"/>).
    /// </remarks>
    private protected override ITransformer CreateSavableForm()
    {
        var exported = ExportGraph();
        var form = new OnnxSavedForm(exported.Inputs);
        form.AddOnnx(exported.Graph, [InputColumnName], exported.OutputColumns, intermediateOutputs: true);
        form.Add(form.Context.Transforms.CopyColumns(OutputColumnName, PooledOutput));
        form.Add(form.Context.Transforms.CopyColumns(TokensColumnName, TokensOutput));
        return form.Build();
    }

    /// <summary>
    /// One row's tokens, the graph input String [1, T] named as the input column, are looked up in the vocabulary
    /// (ai.onnx.ml LabelEncoder: word → row, any other token → −1), and their rows gathered from the V×D initializer
    /// <c>vectors</c> (the native state's tensor) into [1, T, D], unknown tokens zeroed. Outputs (none rank 0, which
    /// OnnxTransformer cannot read):
    /// <c>MLNetExt.Tokens</c> Float [1, T·D] (the per-token vectors) and <c>MLNetExt.Pooled</c> Float [3·D] or [D]
    /// (the pooled vector). Each reduction over the known tokens starts from a row holding its starting point
    /// (float.MaxValue for min, 0 for the sum, float.MinValue for max), as the native pooling does, so a row without a
    /// known token (or without tokens) pools to the same values; the mean is the sum over max(known, 1). The
    /// metadata holds the native state (vocabulary and vectors included).
    /// </summary>
    private protected override ExportedGraph ExportGraph()
    {
        int v = Vectors.Count, d = Vectors.VectorSize;
        var graph = new OnnxGraphBuilder();
        var tokens = graph.AddInput(InputColumnName, OnnxElementType.String, [1, "T"]);
        var rowIndices = new long[v];
        for (int i = 0; i < v; i++) rowIndices[i] = i;
        string rows = graph.AddNodeOutputs("LabelEncoder", [tokens.Name], 1, "lookup", OnnxGraphBuilder.MLDomain,
            OnnxAttribute.Strings("keys_strings", [.. Vectors.Words]), OnnxAttribute.Ints("values_int64s", rowIndices),
            OnnxAttribute.Int("default_int64", -1))[0];                                                        // [1, T]
        string known = graph.AddNode("GreaterOrEqual", [rows, graph.Int64Constant(0)], "lookup");             // [1, T] bool
        string knownRows = graph.AddNode("Unsqueeze", [known, graph.Int64Constant(2)], "lookup");             // [1, T, 1]
        var table = graph.AddInitializer(VectorsName, Tensor.FromValues(Vectors.Vectors, v, d));              // [V, D]
        // Row −1 of an unknown token gathers the last row (ONNX counts negative indices from the end); Where zeroes it.
        string gathered = graph.AddNode("Gather", [table.Name, rows], "lookup", OnnxAttribute.Int("axis", 0)); // [1, T, D]
        string vectors = graph.AddNode("Where", [knownRows, gathered, graph.FloatConstant(0f)], "lookup");    // [1, T, D]
        // [1, T·D], not [T·D]: OnnxTransformer reads a leading symbolic dimension as a batch of 1, so only a later
        // one makes the column a variable-size vector.
        string perToken = graph.AddNode("Reshape", [vectors, graph.Int64Constant(1, -1)], "tokens");          // [1, T·D]

        string count = graph.AddNode("Cast", [known], "pool", OnnxAttribute.Int("to", (long)OnnxElementType.Float));
        count = graph.AddNode("ReduceSum", [count, graph.Int64Constant(1)], "pool", OnnxAttribute.Int("keepdims", 1)); // [1, 1]
        count = graph.AddNode("Max", [count, graph.FloatConstant(1f)], "pool");
        string sum = graph.AddNode("ReduceSum", [StartingRow(graph, "pool.sum_start", vectors, 0f, d), graph.Int64Constant(1)], "pool",
            OnnxAttribute.Int("keepdims", 0));                                                                 // [1, D]
        string pooled = graph.AddNode("Div", [sum, count], "pool");                                            // [1, D]
        if (Pooling == WordEmbeddingPooling.MinMeanMax)
        {
            string forMin = graph.AddNode("Where", [knownRows, gathered, graph.FloatConstant(float.MaxValue)], "pool");
            string min = graph.AddNode("ReduceMin", [StartingRow(graph, "pool.min_start", forMin, float.MaxValue, d)], "pool",
                OnnxAttribute.Ints("axes", 1), OnnxAttribute.Int("keepdims", 0));                             // [1, D]
            string forMax = graph.AddNode("Where", [knownRows, gathered, graph.FloatConstant(float.MinValue)], "pool");
            string max = graph.AddNode("ReduceMax", [StartingRow(graph, "pool.max_start", forMax, float.MinValue, d)], "pool",
                OnnxAttribute.Ints("axes", 1), OnnxAttribute.Int("keepdims", 0));                             // [1, D]
            pooled = graph.AddNode("Concat", [min, pooled, max], "pool", OnnxAttribute.Int("axis", 1));       // [1, 3·D]
        }
        pooled = graph.AddNode("Reshape", [pooled, graph.Int64Constant(PooledSize)], "pool");                 // [3·D] or [D]
        graph.AddOutput(new OnnxValue(perToken, OnnxElementType.Float, [1, "TD"]), TokensOutput);
        graph.AddOutput(new OnnxValue(pooled, OnnxElementType.Float, [PooledSize]), PooledOutput);

        var writer = new NativeModelWriter();
        WriteNativeState(writer);
        NativeStateInOnnx.Write(graph, writer.ToState());
        var inputs = new DataViewSchema.Builder();
        inputs.AddColumn(InputColumnName, new VectorDataViewType(TextDataViewType.Instance));
        return new ExportedGraph(graph, inputs.ToSchema(), [PooledOutput, TokensOutput]);
    }

    /// <summary>
    /// [1, 1 + T, D]: a row of <paramref name="start"/> (a reduction's starting point, the initializer
    /// <paramref name="name"/>) before <paramref name="values"/> [1, T, D], so that the reduction over axis 1 is defined for T = 0 and matches the native pooling.
    /// </summary>
    private static string StartingRow(OnnxGraphBuilder graph, string name, string values, float start, int d)
    {
        var row = new float[d];
        Array.Fill(row, start);
        graph.AddInitializer(name, Tensor.FromValues(row, 1, 1, d));
        return graph.AddNode("Concat", [name, values], "pool", OnnxAttribute.Int("axis", 1));
    }

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
        if (settings.WordCount < 1 || settings.VectorSize < 1 || settings.WordCount > SavedModelLimits.MaximumVocabulary || settings.VectorSize > SavedModelLimits.MaximumWidth)
            throw context.Invalid($"it has {settings.WordCount} words of {settings.VectorSize} dimensions; it needs 1 to {SavedModelLimits.MaximumVocabulary} words of 1 to {SavedModelLimits.MaximumWidth} dimensions");
        // The vectors are checked before the words are read, so the word count a file states is backed by its data.
        context.RequireWeights((long)settings.WordCount * settings.VectorSize, $"its {settings.WordCount} words of {settings.VectorSize} dimensions");
        var vectors = context.GetTensor(VectorsName, settings.WordCount, settings.VectorSize);
        var words = context.GetValues<string>(WordsName, settings.WordCount);
        try
        {
            return new WordEmbeddingTransformer(new KeyedVectors(words, vectors.Span.ToArray(), settings.VectorSize), settings);
        }
        catch (ArgumentException e)
        {
            // KeyedVectors refuses an empty or repeated word.
            throw context.Invalid($"its words are not valid ({e.Message.Split('\n', 2)[0].TrimEnd('.', '\r')})");
        }
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
