using MLNetExt.Trainers.DeepLearning;
using MLNetExt.Trainers.Mlp;
using MLNetExt.Trainers.Sequence;
using static MLNetExt.Estimators.Tests.Sequence.SequenceData;

namespace MLNetExt.Estimators.Tests.Sequence;

public class SequenceTrainerTests
{
    public sealed class WrongFeaturesRow
    {
        public bool Label { get; set; }

        public string Features = "";
    }

    public sealed class BagRow
    {
        public const int Slots = 64;

        public bool Label;

        [VectorType(Slots)]
        public float[] Features = [];
    }

    public sealed class StepsOnlyRow
    {
        public float[] Features = [];
    }

    public sealed class KeyPrediction
    {
        [KeyType(3)]
        public uint PredictedLabel;

        public float[] Score = [];
    }

    private static (IDataView Train, IDataView Test, ITransformer Featurizer) SentimentData(MLContext ml, int trainCount, int testCount)
    {
        var rows = Sentiment();
        var train = ml.Data.LoadFromEnumerable(rows[..trainCount]);
        var test = ml.Data.LoadFromEnumerable(rows[trainCount..(trainCount + testCount)]);
        var featurizer = ml.Transforms.Text.TokenizeIntoWords("Tokens", "Text")
            .Append(ml.Transforms.Conversion.MapValueToKey("Features", "Tokens")).Fit(train);
        return (featurizer.Transform(train), featurizer.Transform(test), featurizer);
    }

    [Fact]
    public void BinaryLstmWorkoutOnTokenKeys()
    {
        var ml = new MLContext(1);
        var (train, _, _) = SentimentData(ml, 120, 0);
        var trainer = ml.BinaryClassification.Trainers.Lstm(new SequenceBinaryTrainer.Options
        {
            HiddenSize = 8, EmbeddingDimension = 4, NumberOfEpochs = 2, Seed = 2, Bidirectional = true, Pooling = SequencePooling.Max,
        });
        var invalid = ml.Data.LoadFromEnumerable(new[] { new WrongFeaturesRow { Features = "a" } });

        var workout = EstimatorWorkout.Run(ml, trainer, train, invalid, "Features", labelColumnName: "Label");

        workout.Output.Schema["Score"].Type.Should().Be(NumberDataViewType.Single);
        workout.Output.Schema["Probability"].Type.Should().Be(NumberDataViewType.Single);
        workout.Output.Schema["PredictedLabel"].Type.Should().Be(BooleanDataViewType.Instance);
        workout.Transformer.Cell.Should().Be(SequenceCellType.Lstm);
        workout.Transformer.TrainingResult!.EpochsCompleted.Should().Be(2);
    }

    [Fact]
    public void RnnCellBinaryWorkoutThroughTheGeneralEntry()
    {
        var ml = new MLContext(1);
        var (train, _, _) = SentimentData(ml, 120, 0);
        var trainer = ml.BinaryClassification.Trainers.Recurrent(new SequenceBinaryTrainer.Options
        {
            Cell = SequenceCellType.Rnn, HiddenSize = 8, EmbeddingDimension = 4, NumberOfEpochs = 2, Seed = 2, Bidirectional = true,
        });
        var invalid = ml.Data.LoadFromEnumerable(new[] { new WrongFeaturesRow { Features = "a" } });

        var workout = EstimatorWorkout.Run(ml, trainer, train, invalid, "Features", labelColumnName: "Label");

        trainer.Cell.Should().Be(SequenceCellType.Rnn);
        workout.Transformer.Cell.Should().Be(SequenceCellType.Rnn);
        workout.Output.Schema["Probability"].Type.Should().Be(NumberDataViewType.Single);
    }

    [Fact]
    public void RnnCellMulticlassAndForecasterWorkouts()
    {
        var ml = new MLContext(1);
        var steps = ml.Data.LoadFromEnumerable(PeakPosition(200, 1));
        var toKey = ml.Transforms.Conversion.MapValueToKey("Label").Fit(steps);
        var classifier = ml.MulticlassClassification.Trainers.Recurrent(new SequenceMulticlassTrainer.Options
        {
            Cell = SequenceCellType.Rnn, StepSize = 2, HiddenSize = 8, NumberOfLayers = 2, NumberOfEpochs = 2, Seed = 4,
        });
        var windows = ForecastWindows.Create(Seasonal().AsSpan(0, 120), 12, 3).Select(r => new HorizonRow { Features = r.Window, Label = r.Next }).ToArray();
        var forecaster = ml.Regression.Trainers.RecurrentForecaster(new SequenceForecastingTrainer.Options
        {
            Cell = SequenceCellType.Rnn, Horizon = 3, HiddenSize = 8, NumberOfEpochs = 2, Seed = 3,
        });

        var classified = EstimatorWorkout.Run(ml, classifier, toKey.Transform(steps), labelColumnName: "Label");
        var forecast = EstimatorWorkout.Run(ml, forecaster, ml.Data.LoadFromEnumerable(windows), labelColumnName: "Label");

        classified.Transformer.Cell.Should().Be(SequenceCellType.Rnn);
        forecast.Transformer.Cell.Should().Be(SequenceCellType.Rnn);
        forecast.Output.Schema["Score"].Type.Should().Be(new VectorDataViewType(NumberDataViewType.Single, 3));
    }

    [Fact]
    public void LstmAndGruMethodsChooseTheCellWithoutWritingTheOptions()
    {
        var ml = new MLContext(1);
        var options = new SequenceTaggingTrainer.Options { Cell = SequenceCellType.Rnn };

        ml.MulticlassClassification.Trainers.LstmTagger(options).Cell.Should().Be(SequenceCellType.Lstm);
        ml.MulticlassClassification.Trainers.GruTagger(options).Cell.Should().Be(SequenceCellType.Gru);
        ml.MulticlassClassification.Trainers.RecurrentTagger(options).Cell.Should().Be(SequenceCellType.Rnn);
        options.Cell.Should().Be(SequenceCellType.Rnn);
        new SequenceBinaryTrainer.Options().Cell.Should().Be(SequenceCellType.Lstm);
        FluentActions.Invoking(() => ml.BinaryClassification.Trainers.Recurrent(new SequenceBinaryTrainer.Options { Cell = (SequenceCellType)7 }))
            .Should().Throw<ArgumentOutOfRangeException>().WithMessage("Option Cell must be Lstm, Gru or Rnn*");
    }

    [Fact]
    public void LstmReadsWordOrderThatBagOfWordsCannot()
    {
        var ml = new MLContext(1);
        var (train, test, _) = SentimentData(ml, 1500, 500);
        var lstm = ml.BinaryClassification.Trainers.Lstm(new SequenceBinaryTrainer.Options
        {
            HiddenSize = 32, EmbeddingDimension = 16, NumberOfEpochs = 15, LearningRate = 0.01, Seed = 7, ValidationFraction = 0.1,
        }).Fit(train);
        double lstmAccuracy = ml.BinaryClassification.Evaluate(lstm.Transform(test)).Accuracy;

        var bags = BagsOfWords(Sentiment(), 1500, 500);
        var bagModel = ml.BinaryClassification.Trainers.Mlp(new MlpBinaryTrainer.Options { HiddenLayers = [32], NumberOfEpochs = 60, Seed = 7 })
            .Fit(ml.Data.LoadFromEnumerable(bags.Train));
        double bagAccuracy = ml.BinaryClassification.Evaluate(bagModel.Transform(ml.Data.LoadFromEnumerable(bags.Test))).Accuracy;

        Console.WriteLine($"sentiment accuracy: LSTM {lstmAccuracy:F3}, bag of words {bagAccuracy:F3}");
        lstmAccuracy.Should().BeGreaterThan(0.9, "an LSTM follows which word each 'not' negates");
        lstmAccuracy.Should().BeGreaterThanOrEqualTo(bagAccuracy + 0.10, $"a bag of words ({bagAccuracy:F3}) loses the order that decides the label");
    }

    /// <summary>Word-count vectors over the training vocabulary: the order-blind baseline.</summary>
    private static (BagRow[] Train, BagRow[] Test) BagsOfWords(TextRow[] rows, int trainCount, int testCount)
    {
        var vocabulary = rows[..trainCount].SelectMany(r => r.Text.Split(' ')).Distinct().Select((word, index) => (word, index)).ToDictionary(p => p.word, p => p.index);
        vocabulary.Count.Should().BeLessThan(BagRow.Slots);
        BagRow Bag(TextRow row)
        {
            var counts = new float[BagRow.Slots];
            foreach (var word in row.Text.Split(' '))
            {
                if (vocabulary.TryGetValue(word, out int index))
                    counts[index]++;
            }
            return new BagRow { Label = row.Label, Features = counts };
        }
        return ([.. rows[..trainCount].Select(Bag)], [.. rows[trainCount..(trainCount + testCount)].Select(Bag)]);
    }

    [Fact]
    public void ForecasterBeatsTheNaiveLastValueForecast()
    {
        var ml = new MLContext(1);
        var series = Seasonal();
        const int Window = 24;
        var train = ForecastWindows.Create(series.AsSpan(0, 600), Window).Select(r => new WindowRow { Features = r.Window, Label = r.Next[0] }).ToArray();
        var test = ForecastWindows.Create(series.AsSpan(600 - Window), Window).Select(r => new WindowRow { Features = r.Window, Label = r.Next[0] }).ToArray();
        var trainer = ml.Regression.Trainers.GruForecaster(new SequenceForecastingTrainer.Options
        {
            HiddenSize = 24, NumberOfEpochs = 25, LearningRate = 0.01, Seed = 3,
        });

        var workout = EstimatorWorkout.Run(ml, trainer, ml.Data.LoadFromEnumerable(train), labelColumnName: "Label");

        var scored = workout.Transformer.Transform(ml.Data.LoadFromEnumerable(test));
        double modelMae = ml.Regression.Evaluate(scored).MeanAbsoluteError;
        double naiveMae = test.Average(r => Math.Abs(r.Label - r.Features[^1]));
        Console.WriteLine($"forecast MAE: GRU {modelMae:F3}, naive {naiveMae:F3}");
        modelMae.Should().BeLessThan(0.6 * naiveMae, $"the seasonal pattern is predictable (naive MAE {naiveMae:F3})");
    }

    [Fact]
    public void ForecasterPredictsAHorizonVector()
    {
        var ml = new MLContext(1);
        var rows = ForecastWindows.Create(Seasonal().AsSpan(0, 200), 12, 3).Select(r => new HorizonRow { Features = r.Window, Label = r.Next }).ToArray();
        var trainer = ml.Regression.Trainers.LstmForecaster(horizon: 3, hiddenSize: 8, numberOfEpochs: 2);

        var workout = EstimatorWorkout.Run(ml, trainer, ml.Data.LoadFromEnumerable(rows), labelColumnName: "Label");

        workout.Output.Schema["Score"].Type.Should().Be(new VectorDataViewType(NumberDataViewType.Single, 3));
        FluentActions.Invoking(() => ml.Regression.Trainers.LstmForecaster(horizon: 2).Fit(ml.Data.LoadFromEnumerable(rows)))
            .Should().Throw<ArgumentOutOfRangeException>().WithMessage("*Label*Vector<Single, 2>*");
    }

    [Fact]
    public void TaggerLearnsNegationScope()
    {
        var ml = new MLContext(1);
        var rows = Tagging();
        var all = ml.Data.LoadFromEnumerable(rows);
        var featurizer = ml.Transforms.Text.TokenizeIntoWords("Words", "Tokens")
            .Append(ml.Transforms.Conversion.MapValueToKey("Features", "Words"))
            .Append(ml.Transforms.Text.TokenizeIntoWords("TagWords", "Tags"))
            .Append(ml.Transforms.Conversion.MapValueToKey("Label", "TagWords")).Fit(all);
        var train = featurizer.Transform(ml.Data.LoadFromEnumerable(rows[..900]));
        var test = featurizer.Transform(ml.Data.LoadFromEnumerable(rows[900..]));
        var trainer = ml.MulticlassClassification.Trainers.LstmTagger(new SequenceTaggingTrainer.Options
        {
            HiddenSize = 24, EmbeddingDimension = 12, NumberOfEpochs = 12, LearningRate = 0.01, Seed = 5,
        });

        var workout = EstimatorWorkout.Run(ml, trainer, ml.Data.TakeRows(train, 300), labelColumnName: "Label");
        var model = trainer.Fit(train);

        workout.Output.Schema["PredictedLabel"].Type.Should().Be(new VectorDataViewType(new KeyDataViewType(typeof(uint), 3)));
        TokenAccuracy(model.Transform(test)).Should().BeGreaterThan(0.97, "a tag follows from the words before it");
    }

    private static double TokenAccuracy(IDataView scored)
    {
        var label = scored.Schema["Label"];
        var predicted = scored.Schema["PredictedLabel"];
        using var cursor = scored.GetRowCursor([label, predicted]);
        var labelGetter = cursor.GetGetter<VBuffer<uint>>(label);
        var predictedGetter = cursor.GetGetter<VBuffer<uint>>(predicted);
        VBuffer<uint> labels = default, predictions = default;
        int correct = 0, total = 0;
        while (cursor.MoveNext())
        {
            labelGetter(ref labels);
            predictedGetter(ref predictions);
            predictions.Length.Should().Be(labels.Length, "one tag per token");
            var expected = labels.GetValues();
            var actual = predictions.GetValues();
            for (int t = 0; t < expected.Length; t++)
            {
                total++;
                if (expected[t] == actual[t])
                    correct++;
            }
        }
        return correct / (double)total;
    }

    [Fact]
    public void MulticlassGruOnFloatStepsPredictsSingleRows()
    {
        var ml = new MLContext(1);
        var data = ml.Data.LoadFromEnumerable(PeakPosition(600, 1));
        var toKey = ml.Transforms.Conversion.MapValueToKey("Label").Fit(data);
        var trainer = ml.MulticlassClassification.Trainers.Gru(new SequenceMulticlassTrainer.Options
        {
            StepSize = 2, HiddenSize = 16, NumberOfEpochs = 30, LearningRate = 0.01, Seed = 4, Bidirectional = true,
            Pooling = SequencePooling.Mean, NumberOfLayers = 2, Dropout = 0.1f,
        });

        var workout = EstimatorWorkout.Run(ml, trainer, toKey.Transform(data), labelColumnName: "Label");

        var test = toKey.Transform(ml.Data.LoadFromEnumerable(PeakPosition(200, 2)));
        ml.MulticlassClassification.Evaluate(workout.Transformer.Transform(test)).MicroAccuracy.Should().BeGreaterThan(0.85);
        var engine = ml.Model.CreatePredictionEngine<StepsOnlyRow, KeyPrediction>(workout.Transformer);
        var prediction = engine.Predict(new StepsOnlyRow { Features = [0.1f, 0, 0.2f, 0, 0.3f, 0, 0.1f, 0, 0.2f, 0, 2f, 0] });
        prediction.Score.Sum().Should().BeApproximately(1f, 1e-5f);
        prediction.PredictedLabel.Should().BeInRange(1u, 3u);
        FluentActions.Invoking(() => engine.Predict(new StepsOnlyRow { Features = [1, 2, 3] }))
            .Should().Throw<InvalidOperationException>().WithMessage("Column 'Features'*not a whole number of steps*");
    }

    // Web apps keep one model and a prediction engine per request thread: scoring from several threads at once must
    // give each row exactly its sequential result.
    [Fact]
    public void OneModelScoresFromSeveralThreadsAtOnce()
    {
        var ml = new MLContext(1);
        var data = ml.Data.LoadFromEnumerable(PeakPosition(200, 1));
        var toKey = ml.Transforms.Conversion.MapValueToKey("Label").Fit(data);
        var model = ml.MulticlassClassification.Trainers.Lstm(new SequenceMulticlassTrainer.Options
        {
            StepSize = 2, HiddenSize = 24, NumberOfEpochs = 2, Seed = 4, Bidirectional = true, NumberOfLayers = 2,
        }).Fit(toKey.Transform(data));
        var random = new Random(8);
        var rows = Enumerable.Range(0, 400).Select(_ => new StepsOnlyRow
        {
            Features = [.. Enumerable.Range(0, 2 * random.Next(3, 40)).Select(_ => (float)random.NextDouble())],
        }).ToArray();
        var sequential = ml.Model.CreatePredictionEngine<StepsOnlyRow, KeyPrediction>(model);
        var expected = rows.Select(r => sequential.Predict(r).Score.ToArray()).ToArray();

        var mismatches = new int[4];
        Parallel.For(0, 4, new ParallelOptions { MaxDegreeOfParallelism = 4 }, worker =>
        {
            var engine = ml.Model.CreatePredictionEngine<StepsOnlyRow, KeyPrediction>(model);
            for (int pass = 0; pass < 20; pass++)
                for (int i = worker; i < rows.Length; i += 2)
                    if (!engine.Predict(rows[i]).Score.SequenceEqual(expected[i])) mismatches[worker]++;
        });

        mismatches.Should().OnlyContain(m => m == 0);
    }

    [Fact]
    public void EmbeddingsStartFromATrainedWord2VecTransformer()
    {
        var ml = new MLContext(1);
        var (train, _, _) = SentimentData(ml, 300, 0);
        var word2vec = ml.Transforms.Text.TrainWord2Vec("WordVectors", "Tokens", vectorSize: 6, epochs: 3, minCount: 1, workers: 1).Fit(train);
        var vectors = word2vec.Vectors;
        var options = new SequenceBinaryTrainer.Options
        {
            HiddenSize = 8, EmbeddingDimension = vectors.VectorSize, NumberOfEpochs = 2, Seed = 3, FreezeEmbeddings = true,
            EmbeddingProvider = token => vectors.Contains(token) ? vectors[token].ToArray() : null,
        };

        var model = ml.BinaryClassification.Trainers.Lstm(options).Fit(train);

        var weights = Tensor(model, "embedding.weight");
        int goodKey = KeyOf(train, "good");
        weights.Skip(goodKey * vectors.VectorSize).Take(vectors.VectorSize).Should().Equal(vectors["good"].ToArray(),
            "the frozen embedding row of a token is its word2vec vector");
    }

    [Fact]
    public void EmbeddingsCanBeGivenAndFrozen()
    {
        var ml = new MLContext(1);
        var (train, _, _) = SentimentData(ml, 200, 0);
        var given = new Dictionary<string, float[]> { ["not"] = [1, 0, 0, 0], ["good"] = [0, 1, 0, 0] };
        var asked = new List<string>();
        var options = new SequenceBinaryTrainer.Options
        {
            HiddenSize = 4, EmbeddingDimension = 4, NumberOfEpochs = 1, Seed = 1, FreezeEmbeddings = true,
            EmbeddingProvider = token =>
            {
                asked.Add(token);
                return given.GetValueOrDefault(token);
            },
        };

        var model = ml.BinaryClassification.Trainers.Gru(options).Fit(train);

        asked.Should().Contain(["not", "good", "food"]);
        var weights = Tensor(model, "embedding.weight");
        int notKey = KeyOf(train, "not");
        weights.Skip(notKey * 4).Take(4).Should().Equal([1f, 0, 0, 0], "a frozen embedding keeps the given vector");
        weights.Take(4).Should().Equal([0f, 0, 0, 0], "key 0 is the padding row");

        options.EmbeddingProvider = _ => [1, 2];
        FluentActions.Invoking(() => ml.BinaryClassification.Trainers.Gru(options).Fit(train))
            .Should().Throw<ArgumentException>().WithMessage("*EmbeddingProvider*expected 4 finite values*");
    }

    private static int KeyOf(IDataView data, string token)
    {
        VBuffer<ReadOnlyMemory<char>> names = default;
        data.Schema["Features"].GetKeyValues(ref names);
        return names.DenseValues().Select(n => n.ToString()).ToList().IndexOf(token) + 1;
    }

    /// <summary>A weight of a trained model, by its PyTorch state_dict name.</summary>
    private static float[] Tensor(SequencePredictionTransformer model, string name)
    {
        var writer = new MLNetExt.Transforms.Persistence.NativeModelWriter();
        model.WriteNativeState(writer);
        return writer.ToState().Tensors[name].Span.ToArray();
    }

    [Theory]
    [InlineData(nameof(SequenceTrainerOptions.HiddenSize), 0)]
    [InlineData(nameof(SequenceTrainerOptions.NumberOfLayers), 0)]
    [InlineData(nameof(SequenceTrainerOptions.EmbeddingDimension), 0)]
    [InlineData(nameof(SequenceTrainerOptions.StepSize), 0)]
    [InlineData(nameof(SequenceTrainerOptions.Dropout), 1)]
    [InlineData(nameof(SequenceTrainerOptions.Pooling), 9)]
    public void BadOptionIsRejectedWhenTheTrainerIsMadeNamingIt(string option, int value)
    {
        var options = new SequenceMulticlassTrainer.Options();
        var property = typeof(SequenceTrainerOptions).GetProperty(option)!;
        property.SetValue(options, property.PropertyType == typeof(float) ? (object)(float)value
            : property.PropertyType.IsEnum ? Enum.ToObject(property.PropertyType, value) : value);

        FluentActions.Invoking(() => new MLContext(1).MulticlassClassification.Trainers.Lstm(options))
            .Should().Throw<ArgumentOutOfRangeException>().Where(e => e.ParamName == option).WithMessage($"*{option}*");
        FluentActions.Invoking(() => new MLContext(1).Regression.Trainers.LstmForecaster(new SequenceForecastingTrainer.Options { Horizon = 0 }))
            .Should().Throw<ArgumentOutOfRangeException>().Where(e => e.ParamName == "Horizon");
    }

    [Fact]
    public void EmptySequenceAndMismatchedTagsAreRejectedNamingColumnAndRow()
    {
        var ml = new MLContext(1);
        var rows = new[] { new WindowRow { Features = [1, 2], Label = 1 }, new WindowRow { Features = [], Label = 2 } };
        FluentActions.Invoking(() => ml.Regression.Trainers.LstmForecaster(numberOfEpochs: 1).Fit(ml.Data.LoadFromEnumerable(rows)))
            .Should().Throw<InvalidOperationException>().WithMessage("Column 'Features', row 1: the vector is empty*");

        var tagged = ml.Data.LoadFromEnumerable(new[] { new TaggedRow { Tokens = "a b c", Tags = "x y" } });
        var keyed = ml.Transforms.Text.TokenizeIntoWords("Words", "Tokens").Append(ml.Transforms.Conversion.MapValueToKey("Features", "Words"))
            .Append(ml.Transforms.Text.TokenizeIntoWords("TagWords", "Tags")).Append(ml.Transforms.Conversion.MapValueToKey("Label", "TagWords"))
            .Fit(tagged).Transform(tagged);
        FluentActions.Invoking(() => ml.MulticlassClassification.Trainers.GruTagger(numberOfEpochs: 1).Fit(keyed))
            .Should().Throw<InvalidOperationException>().WithMessage("Column 'Label', row 0: there are 2 tags for 3 tokens*");
    }

    [Fact]
    public void CancellationKeepsAUsableModel()
    {
        var ml = new MLContext(1);
        var (train, _, _) = SentimentData(ml, 100, 0);
        using var source = new CancellationTokenSource();
        source.Cancel();
        var trainer = ml.BinaryClassification.Trainers.Lstm(new SequenceBinaryTrainer.Options { HiddenSize = 4, CancellationToken = source.Token });

        var error = FluentActions.Invoking(() => trainer.Fit(train)).Should().Throw<TrainingCanceledException>().Which;

        error.PartialModel.Should().BeOfType<SequencePredictionTransformer>();
        DataViewCells.ReadAll(error.PartialModel.Transform(train)).Should().HaveCount(100);
    }
}
