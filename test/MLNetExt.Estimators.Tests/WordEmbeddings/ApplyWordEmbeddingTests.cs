using MLNetExt.Trainers.WordEmbeddings;

namespace MLNetExt.Estimators.Tests.WordEmbeddings;

/// <remarks>
/// The model file is passed by name (<c>modelFile:</c>): a positional call with an input column binds to ML.NET's own
/// <c>ApplyWordEmbedding(outputColumnName, customModelFile, inputColumnName)</c>, which needs no default argument.
/// </remarks>
public sealed class ApplyWordEmbeddingTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("mlnetext-embedding-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    public sealed class TokensRow
    {
        public string[] Tokens = [];
    }

    public sealed class TextRow
    {
        public string Tokens = "";
    }

    /// <summary>a = [1, −2], b = [3, 0], c = [−1, 4]: small enough to pool by hand.</summary>
    private static KeyedVectors TinyVectors() => new(["a", "b", "c"], [1, -2, 3, 0, -1, 4], 2);

    private string WriteTiny(WordVectorFileFormat format, string name = "tiny")
    {
        string path = Path.Combine(_folder, $"{name}.{format}");
        WordVectorFiles.Write(TinyVectors(), path, format);
        return path;
    }

    private static IDataView Rows(MLContext ml, params string[][] rows) =>
        ml.Data.LoadFromEnumerable(rows.Select(r => new TokensRow { Tokens = r }).ToArray());

    private static float[][] Column(IDataView data, string name)
    {
        var column = data.Schema[name];
        var result = new List<float[]>();
        using var cursor = data.GetRowCursor([column]);
        var getter = cursor.GetGetter<VBuffer<float>>(column);
        VBuffer<float> value = default;
        while (cursor.MoveNext())
        {
            getter(ref value);
            result.Add(value.GetValues().ToArray());
        }
        return [.. result];
    }

    [Theory]
    [InlineData(WordVectorFileFormat.Word2VecBinary)]
    [InlineData(WordVectorFileFormat.Word2VecText)]
    [InlineData(WordVectorFileFormat.GloVeText)]
    public void Pooled_vector_is_min_mean_max_of_the_known_tokens_as_in_MLNet(WordVectorFileFormat format)
    {
        var ml = new MLContext(1);
        string file = WriteTiny(format);
        var data = Rows(ml, ["a", "b", "zzz"], ["c"], [], ["zzz", "A"], ["b", "b", "a"]);

        var result = EstimatorWorkout.Run(ml, ml.Transforms.Text.ApplyWordEmbedding("Embedding", modelFile: file, inputColumnName: "Tokens"), data,
            ml.Data.LoadFromEnumerable(new[] { new TextRow { Tokens = "a b" } }), "Tokens");

        result.Output.Schema["Embedding"].Type.Should().Be(new VectorDataViewType(NumberDataViewType.Single, 6));
        var pooled = Column(result.Output, "Embedding");
        pooled[0].Should().Equal(1, -2, 2, -1, 3, 0);
        pooled[1].Should().Equal(-1, 4, -1, 4, -1, 4);
        // No known token: ML.NET leaves the reductions at their starting points and the mean at 0.
        pooled[2].Should().Equal(float.MaxValue, float.MaxValue, 0, 0, float.MinValue, float.MinValue);
        pooled[3].Should().Equal(pooled[2], "lookups are exact and case-sensitive, so 'A' is unknown");
        pooled[4].Should().Equal(1, -2, 7f / 3, -2f / 3, 3, 0);
    }

    [Fact]
    public void Per_token_vectors_are_T_by_D_row_major_with_zeros_for_unknown_tokens_and_annotated_with_D()
    {
        var ml = new MLContext(1);
        var data = Rows(ml, ["a", "zzz", "c"], []);
        var model = ml.Transforms.Text.ApplyWordEmbedding("Embedding", modelFile: WriteTiny(WordVectorFileFormat.GloVeText), inputColumnName: "Tokens").Fit(data);
        var output = model.Transform(data);

        var column = output.Schema["Embedding.Tokens"];
        column.Type.Should().Be(new VectorDataViewType(NumberDataViewType.Single));
        int dimension = 0;
        column.Annotations.GetValue(WordEmbeddingTransformer.EmbeddingDimensionAnnotation, ref dimension);
        dimension.Should().Be(2);
        var tokens = Column(output, "Embedding.Tokens");
        tokens[0].Should().Equal(1, -2, 0, 0, -1, 4);
        tokens[1].Should().BeEmpty();
    }

    [Fact]
    public void Mean_pooling_gives_the_D_values_of_the_mean_and_zeros_without_known_tokens()
    {
        var ml = new MLContext(1);
        var data = Rows(ml, ["a", "b"], ["nope"]);
        var estimator = ml.Transforms.Text.ApplyWordEmbedding(new WordEmbeddingEstimator.Options
        {
            OutputColumnName = "Mean",
            InputColumnName = "Tokens",
            TokensColumnName = "PerToken",
            ModelFile = WriteTiny(WordVectorFileFormat.Word2VecText),
            Pooling = WordEmbeddingPooling.Mean,
        });

        var result = EstimatorWorkout.Run(ml, estimator, data);

        result.Transformer.PooledSize.Should().Be(2);
        Column(result.Output, "Mean").Should().BeEquivalentTo(new[] { new float[] { 2, -1 }, [0, 0] }, o => o.WithStrictOrdering());
        result.Output.Schema.GetColumnOrNull("PerToken").Should().NotBeNull();
    }

    [Theory]
    [InlineData(WordVectorFileFormat.Word2VecBinary)]
    [InlineData(WordVectorFileFormat.Word2VecText)]
    [InlineData(WordVectorFileFormat.GloVeText)]
    public void Format_is_detected_from_the_content(WordVectorFileFormat format)
    {
        string file = WriteTiny(format);

        WordVectorFiles.DetectFormat(file).Should().Be(format);
        WordVectorFiles.Read(file).Vectors.ToArray().Should().Equal(TinyVectors().Vectors.ToArray());
    }

    [Fact]
    public void Vectors_from_other_tools_load_gensim_binary_and_text()
    {
        string data = Path.Combine(AppContext.BaseDirectory, "WordEmbeddings", "Data");
        var binary = WordVectorFiles.Read(Path.Combine(data, "gensim.bin"));
        var text = WordVectorFiles.Read(Path.Combine(data, "gensim.txt"));

        WordVectorFiles.DetectFormat(Path.Combine(data, "gensim.bin")).Should().Be(WordVectorFileFormat.Word2VecBinary);
        WordVectorFiles.DetectFormat(Path.Combine(data, "gensim.txt")).Should().Be(WordVectorFileFormat.Word2VecText);
        text.Words.Should().Equal(binary.Words);
    }

    [Fact]
    public void Missing_file_is_rejected_when_the_estimator_is_made()
    {
        var ml = new MLContext(1);
        FluentActions.Invoking(() => ml.Transforms.Text.ApplyWordEmbedding("E", modelFile: Path.Combine(_folder, "none.vec"), inputColumnName: "Tokens"))
            .Should().Throw<ArgumentException>().WithParameterName("ModelFile").WithMessage("*none.vec*could not be found*");
    }

    [Fact]
    public void Malformed_file_is_reported_with_its_name_at_fit()
    {
        var ml = new MLContext(1);
        string file = Path.Combine(_folder, "bad.txt");
        File.WriteAllText(file, "a 1 2\nb 3 x\n");
        var estimator = ml.Transforms.Text.ApplyWordEmbedding("E", modelFile: file, inputColumnName: "Tokens");

        FluentActions.Invoking(() => estimator.Fit(Rows(ml, ["a"])))
            .Should().Throw<InvalidDataException>().WithMessage("*bad.txt*");
    }

    [Fact]
    public void Transformer_scores_single_rows_through_a_prediction_engine()
    {
        var ml = new MLContext(1);
        var model = ml.Transforms.Text.ApplyWordEmbedding("Embedding", modelFile: WriteTiny(WordVectorFileFormat.GloVeText), inputColumnName: "Tokens").Fit(Rows(ml, ["a"]));
        using var engine = ml.Model.CreatePredictionEngine<TokensRow, EmbeddingPrediction>(model);

        engine.Predict(new TokensRow { Tokens = ["c", "a"] }).Embedding.Should().Equal(-1, -2, 0, 1, 1, 4);
        var second = engine.Predict(new TokensRow { Tokens = ["b"] });
        second.Embedding.Should().Equal(3, 0, 3, 0, 3, 0);
        second.TokenVectors.Should().Equal(3, 0);
    }

    public sealed class EmbeddingPrediction
    {
        public float[] Embedding = [];

        [ColumnName("Embedding.Tokens")]
        public float[] TokenVectors = [];
    }
}
