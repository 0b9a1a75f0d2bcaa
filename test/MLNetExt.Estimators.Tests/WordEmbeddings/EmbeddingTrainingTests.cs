using MLNetExt.Trainers.Tests.WordEmbeddings;
using MLNetExt.Trainers.WordEmbeddings;

namespace MLNetExt.Estimators.Tests.WordEmbeddings;

public sealed class EmbeddingTrainingTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("mlnetext-embedding-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    public sealed class TextRow
    {
        public string Text = "";
    }

    public sealed class TokensRow
    {
        public string[] Tokens = [];
    }

    public sealed class NumberRow
    {
        public float Tokens;
    }

    public sealed class SentencePrediction
    {
        public float[] Embedding = [];
    }

    /// <summary>Rows of 3 to 9 words drawn from 24 words, seeded: enough co-occurrences for tiny vectors to train in milliseconds.</summary>
    private static IDataView Corpus(MLContext ml, int rows = 150)
    {
        var random = new Random(5);
        var words = Enumerable.Range(0, 24).Select(i => $"w{i}").ToArray();
        var data = Enumerable.Range(0, rows)
            .Select(_ => new TokensRow { Tokens = [.. Enumerable.Range(0, random.Next(3, 10)).Select(_ => words[random.Next(words.Length)])] })
            .ToArray();
        return ml.Data.LoadFromEnumerable(data);
    }

    private static IDataView Invalid(MLContext ml) => ml.Data.LoadFromEnumerable(new[] { new NumberRow { Tokens = 1 } });

    private static Word2VecEstimator.Options Word2Vec(IProgress<Word2VecProgress>? progress = null, CancellationToken cancellation = default) => new()
    {
        OutputColumnName = "Embedding",
        InputColumnName = "Tokens",
        Word2Vec = new Word2VecOptions { VectorSize = 6, Window = 3, MinCount = 2, Epochs = 3, Workers = 1, Seed = 3 },
        Progress = progress,
        CancellationToken = cancellation,
    };

    private static GloVeEstimator.Options GloVe(IProgress<GloVeProgress>? progress = null, CancellationToken cancellation = default) => new()
    {
        OutputColumnName = "Embedding",
        InputColumnName = "Tokens",
        GloVe = new GloVeOptions { VectorSize = 5, Window = 4, MinCount = 2, Epochs = 3, Workers = 1, Seed = 3 },
        Progress = progress,
        CancellationToken = cancellation,
    };

    private static float[] PooledByHand(KeyedVectors vectors, string[] tokens)
    {
        int d = vectors.VectorSize;
        var known = tokens.Where(vectors.Contains).Select(t => vectors[t].ToArray()).ToArray();
        var result = new float[3 * d];
        for (int i = 0; i < d; i++)
        {
            float min = float.MaxValue, sum = 0, max = float.MinValue;
            foreach (var vector in known)
            {
                min = Math.Min(min, vector[i]);
                sum += vector[i];
                max = Math.Max(max, vector[i]);
            }
            (result[i], result[d + i], result[2 * d + i]) = (min, known.Length > 0 ? sum / known.Length : 0, max);
        }
        return result;
    }

    [Fact]
    public void Word2Vec_workout_trains_vectors_that_the_transformer_exposes_and_pools()
    {
        var ml = new MLContext(1);
        var data = Corpus(ml);

        var result = EstimatorWorkout.Run(ml, ml.Transforms.Text.TrainWord2Vec(Word2Vec()), data, Invalid(ml), "Tokens");

        var vectors = result.Transformer.Vectors;
        vectors.Count.Should().Be(24);
        vectors.VectorSize.Should().Be(6);
        vectors.MostSimilar("w0", topN: 3).Should().HaveCount(3);
        result.Output.Schema["Embedding"].Type.Should().Be(new VectorDataViewType(NumberDataViewType.Single, 18));
        CheckPooling(result.Output, vectors);
    }

    [Fact]
    public void GloVe_workout_trains_vectors_that_the_transformer_exposes_and_pools()
    {
        var ml = new MLContext(1);
        var data = Corpus(ml);

        var result = EstimatorWorkout.Run(ml, ml.Transforms.Text.TrainGloVe(GloVe()), data, Invalid(ml), "Tokens");

        result.Transformer.Vectors.Count.Should().Be(24);
        result.Output.Schema["Embedding"].Type.Should().Be(new VectorDataViewType(NumberDataViewType.Single, 15));
        CheckPooling(result.Output, result.Transformer.Vectors);
    }

    private static void CheckPooling(IDataView output, KeyedVectors vectors)
    {
        var tokens = output.Schema["Tokens"];
        var pooled = output.Schema["Embedding"];
        var perToken = output.Schema["Embedding.Tokens"];
        using var cursor = output.GetRowCursor([tokens, pooled, perToken]);
        var tokensGetter = cursor.GetGetter<VBuffer<ReadOnlyMemory<char>>>(tokens);
        var pooledGetter = cursor.GetGetter<VBuffer<float>>(pooled);
        var perTokenGetter = cursor.GetGetter<VBuffer<float>>(perToken);
        VBuffer<ReadOnlyMemory<char>> words = default;
        VBuffer<float> pooledValue = default, perTokenValue = default;
        int rows = 0;
        while (cursor.MoveNext() && rows++ < 20)
        {
            tokensGetter(ref words);
            pooledGetter(ref pooledValue);
            perTokenGetter(ref perTokenValue);
            var texts = words.GetValues().ToArray().Select(w => w.ToString()).ToArray();
            pooledValue.GetValues().ToArray().Should().Equal(PooledByHand(vectors, texts));
            perTokenValue.GetValues().ToArray().Should().Equal(texts.SelectMany(t => vectors[t].ToArray()));
        }
        rows.Should().BeGreaterThan(0);
    }

    [Theory]
    [InlineData(WordVectorFileFormat.Word2VecBinary)]
    [InlineData(WordVectorFileFormat.Word2VecText)]
    [InlineData(WordVectorFileFormat.GloVeText)]
    public void Saved_vectors_read_back_with_ApplyWordEmbedding_give_identical_outputs(WordVectorFileFormat format)
    {
        var ml = new MLContext(1);
        var data = Corpus(ml);
        var trained = ml.Transforms.Text.TrainWord2Vec(Word2Vec()).Fit(data);
        string file = Path.Combine(_folder, $"vectors.{format}");

        trained.SaveVectors(file, format);
        // Named, since ML.NET's own ApplyWordEmbedding(output, customModelFile, input) wins a positional call.
        var applied = ml.Transforms.Text.ApplyWordEmbedding("Embedding", modelFile: file, inputColumnName: "Tokens").Fit(data);

        applied.Vectors.Words.Should().Equal(trained.Vectors.Words);
        DataViewCells.ReadAll(applied.Transform(data)).Should().BeEquivalentTo(DataViewCells.ReadAll(trained.Transform(data)), o => o.WithStrictOrdering());
    }

    [Fact]
    public void Pipeline_from_raw_text_scores_single_rows_through_a_prediction_engine()
    {
        var ml = new MLContext(1);
        var corpus = Corpus(ml);
        var texts = DataViewCells.Column(corpus, "Tokens").Select(t => new TextRow { Text = t.Trim('[', ']').Replace(",", "") }).ToArray();
        var pipeline = ml.Transforms.Text.TokenizeIntoWords("Tokens", "Text").Append(ml.Transforms.Text.TrainWord2Vec(Word2Vec()));
        var model = pipeline.Fit(ml.Data.LoadFromEnumerable(texts));
        var vectors = model.LastTransformer.Vectors;
        using var engine = ml.Model.CreatePredictionEngine<TextRow, SentencePrediction>(model);

        engine.Predict(new TextRow { Text = "w1 w2 unknown" }).Embedding.Should().Equal(PooledByHand(vectors, ["w1", "w2", "unknown"]));
        engine.Predict(new TextRow { Text = "" }).Embedding.Should().Equal(PooledByHand(vectors, []));
    }

    [Fact]
    public void Empty_corpus_is_rejected_naming_the_column()
    {
        var ml = new MLContext(1);
        var empty = ml.Data.LoadFromEnumerable(new[] { new TokensRow(), new TokensRow { Tokens = [""] } });

        FluentActions.Invoking(() => ml.Transforms.Text.TrainWord2Vec(Word2Vec()).Fit(empty))
            .Should().Throw<InvalidOperationException>().WithMessage("Column 'Tokens' holds no tokens in any of its 2 rows*");
        FluentActions.Invoking(() => ml.Transforms.Text.TrainGloVe(GloVe()).Fit(ml.Data.LoadFromEnumerable(Array.Empty<TokensRow>())))
            .Should().Throw<InvalidOperationException>().WithMessage("Column 'Tokens' has no rows*");
    }

    [Fact]
    public void Every_word_below_min_count_is_rejected_naming_the_column_and_the_option()
    {
        var ml = new MLContext(1);
        var rare = ml.Data.LoadFromEnumerable(new[] { new TokensRow { Tokens = ["a", "b", "a"] }, new TokensRow { Tokens = ["c"] } });

        FluentActions.Invoking(() => ml.Transforms.Text.TrainWord2Vec("E", "Tokens", minCount: 3).Fit(rare))
            .Should().Throw<InvalidOperationException>().WithMessage("Column 'Tokens': no word occurs at least 3 times (Word2VecOptions.MinCount = 3); the most frequent, 'a', occurs 2 time(s)*");
        FluentActions.Invoking(() => ml.Transforms.Text.TrainGloVe("E", "Tokens", minCount: 5).Fit(rare))
            .Should().Throw<InvalidOperationException>().WithMessage("Column 'Tokens': no word occurs at least 5 times (GloVeOptions.MinCount = 5)*");
    }

    [Fact]
    public void GloVe_without_any_cooccurrence_is_rejected_naming_the_column()
    {
        var ml = new MLContext(1);
        var singles = ml.Data.LoadFromEnumerable(Enumerable.Range(0, 4).Select(i => new TokensRow { Tokens = [$"w{i % 2}"] }).ToArray());

        FluentActions.Invoking(() => ml.Transforms.Text.TrainGloVe("E", "Tokens", minCount: 1).Fit(singles))
            .Should().Throw<InvalidOperationException>().WithMessage("Column 'Tokens': no two kept words occur within 15 tokens*");
    }

    [Fact]
    public void Bad_options_are_rejected_naming_the_option()
    {
        var ml = new MLContext(1);
        FluentActions.Invoking(() => ml.Transforms.Text.TrainWord2Vec("E", "Tokens", vectorSize: 0))
            .Should().Throw<ArgumentOutOfRangeException>().WithParameterName("VectorSize");
        FluentActions.Invoking(() => ml.Transforms.Text.TrainGloVe("E", "Tokens", window: 0))
            .Should().Throw<ArgumentOutOfRangeException>().WithParameterName("Window");
        FluentActions.Invoking(() => ml.Transforms.Text.TrainWord2Vec("", "Tokens"))
            .Should().Throw<ArgumentException>().WithParameterName("OutputColumnName");
        FluentActions.Invoking(() => ml.Transforms.Text.TrainWord2Vec(new Word2VecEstimator.Options { OutputColumnName = "E", Pooling = (WordEmbeddingPooling)7 }))
            .Should().Throw<ArgumentOutOfRangeException>().WithParameterName("Pooling");
    }

    [Fact]
    public void Options_changed_after_the_estimator_is_made_do_not_change_it()
    {
        var ml = new MLContext(1);
        var options = Word2Vec();
        var estimator = ml.Transforms.Text.TrainWord2Vec(options);
        options.Word2Vec.VectorSize = 11;
        options.OutputColumnName = "Other";

        var model = estimator.Fit(Corpus(ml));

        model.Vectors.VectorSize.Should().Be(6);
        model.OutputColumnName.Should().Be("Embedding");
    }

    [Fact]
    public void Progress_is_reported_once_per_epoch()
    {
        var ml = new MLContext(1);
        var word2vec = new List<Word2VecProgress>();
        var glove = new List<GloVeProgress>();

        ml.Transforms.Text.TrainWord2Vec(Word2Vec(new SynchronousProgress<Word2VecProgress>(word2vec.Add))).Fit(Corpus(ml));
        ml.Transforms.Text.TrainGloVe(GloVe(new SynchronousProgress<GloVeProgress>(glove.Add))).Fit(Corpus(ml));

        word2vec.Select(p => p.Epoch).Should().Equal(1, 2, 3);
        glove.Select(p => p.Epoch).Should().Equal(1, 2, 3);
    }

    [Fact]
    public void Cancellation_stops_fit_and_keeps_nothing()
    {
        var ml = new MLContext(1);
        using var source = new CancellationTokenSource();
        source.Cancel();

        FluentActions.Invoking(() => ml.Transforms.Text.TrainWord2Vec(Word2Vec(cancellation: source.Token)).Fit(Corpus(ml)))
            .Should().Throw<OperationCanceledException>();
        FluentActions.Invoking(() => ml.Transforms.Text.TrainGloVe(GloVe(cancellation: source.Token)).Fit(Corpus(ml)))
            .Should().Throw<OperationCanceledException>();
    }

    [Fact]
    public void Cancellation_during_training_stops_after_the_current_epoch_report()
    {
        var ml = new MLContext(1);
        using var source = new CancellationTokenSource();
        var options = Word2Vec(new SynchronousProgress<Word2VecProgress>(_ => source.Cancel()), source.Token);
        options.Word2Vec.Epochs = 50;
        options.Word2Vec.BatchWords = 50;

        FluentActions.Invoking(() => ml.Transforms.Text.TrainWord2Vec(options).Fit(Corpus(ml)))
            .Should().Throw<OperationCanceledException>();
    }
}
