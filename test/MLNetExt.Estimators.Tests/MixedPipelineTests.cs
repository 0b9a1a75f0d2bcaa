using MLNetExt.Trainers.Mlp;
using static MLNetExt.Estimators.Tests.Mlp.MlpData;
using static MLNetExt.Estimators.Tests.Sequence.SequenceData;

namespace MLNetExt.Estimators.Tests;

/// <summary>MLNetExt's components chained with ML.NET's own transforms, trainers and evaluators, with no glue between them.</summary>
public class MixedPipelineTests
{
    public sealed class PointRow
    {
        public bool Label;

        public float X;

        public float Y;
    }

    private static PointRow[] XorPoints(int count, ulong seed) =>
        [.. Xor(count, seed).Select(r => new PointRow { Label = r.Label, X = r.Features[0] * 50, Y = r.Features[1] + 3 })];

    [Fact]
    public void Lstm_on_ML_NET_tokens_keys_and_padding_is_evaluated_by_ML_NET()
    {
        var ml = new MLContext(1);
        var rows = Sentiment();
        var train = ml.Data.LoadFromEnumerable(rows[..1200]);
        var test = ml.Data.LoadFromEnumerable(rows[1200..1600]);
        var pipeline = ml.Transforms.Text.TokenizeIntoWords("Tokens", "Text")
            .Append(ml.Transforms.Conversion.MapValueToKey("Keys", "Tokens"))
            .Append(ml.Transforms.PadSequence("Features", "Keys", 24))
            .Append(ml.BinaryClassification.Trainers.Lstm(new SequenceBinaryTrainer.Options
            {
                HiddenSize = 32, EmbeddingDimension = 16, NumberOfEpochs = 15, LearningRate = 0.01, Seed = 7,
            }));

        var model = pipeline.Fit(train);

        var metrics = ml.BinaryClassification.Evaluate(model.Transform(test));
        metrics.Accuracy.Should().BeGreaterThan(0.9, "an LSTM over padded token keys follows which word each 'not' negates");
        metrics.AreaUnderRocCurve.Should().BeGreaterThan(0.95);
    }

    [Fact]
    public void Lstm_from_a_text_file_reads_word_order_that_an_ML_NET_bag_of_words_trainer_cannot()
    {
        var ml = new MLContext(2);
        var data = ml.Data.LoadFromTextFile<SentimentFileRow>(RepositoryFile("samples", "data", "sentiment.tsv"), hasHeader: true);
        var split = ml.Data.TrainTestSplit(data, testFraction: 0.25, seed: 2);
        var lstm = ml.Transforms.Text.TokenizeIntoWords("Tokens", nameof(SentimentFileRow.Text))
            .Append(ml.Transforms.Conversion.MapValueToKey("Features", "Tokens"))
            .Append(ml.BinaryClassification.Trainers.Lstm(new SequenceBinaryTrainer.Options
            {
                HiddenSize = 32, EmbeddingDimension = 16, NumberOfEpochs = 8, LearningRate = 0.01, Seed = 3,
            }));
        var bagOfWords = ml.Transforms.Text.NormalizeText("Normalized", nameof(SentimentFileRow.Text))
            .Append(ml.Transforms.Text.ProduceWordBags("Features", "Normalized", ngramLength: 1))
            .Append(ml.BinaryClassification.Trainers.SdcaLogisticRegression());

        double lstmAccuracy = ml.BinaryClassification.Evaluate(lstm.Fit(split.TrainSet).Transform(split.TestSet)).Accuracy;
        double bagAccuracy = ml.BinaryClassification.Evaluate(bagOfWords.Fit(split.TrainSet).Transform(split.TestSet)).Accuracy;

        lstmAccuracy.Should().BeGreaterThan(0.9, "the LSTM follows which word each 'not' negates");
        lstmAccuracy.Should().BeGreaterThan(bagAccuracy + 0.1, $"ML.NET's SDCA over a bag of single words ({bagAccuracy:F3}) cannot see word order");
    }

    private static string RepositoryFile(params string[] parts)
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "MLNetExt.sln")))
                return Path.Combine([folder.FullName, .. parts]);
        }
        throw new FileNotFoundException($"No MLNetExt.sln above {AppContext.BaseDirectory}.");
    }

    private sealed class SentimentFileRow
    {
        [LoadColumn(0)]
        public string Text { get; set; } = "";

        [LoadColumn(1)]
        public bool Label { get; set; }
    }

    [Fact]
    public void Mlp_after_ML_NET_concatenate_and_min_max_normalization_learns_what_a_linear_ML_NET_trainer_cannot()
    {
        var ml = new MLContext(1);
        var train = ml.Data.LoadFromEnumerable(XorPoints(600, 1));
        var test = ml.Data.LoadFromEnumerable(XorPoints(300, 2));
        var features = ml.Transforms.Concatenate("Features", "X", "Y").Append(ml.Transforms.NormalizeMinMax("Features"));

        var mlp = features.Append(ml.BinaryClassification.Trainers.Mlp(new MlpBinaryTrainer.Options { HiddenLayers = [16, 16], NumberOfEpochs = 80, Seed = 3 })).Fit(train);
        var sdca = features.Append(ml.BinaryClassification.Trainers.SdcaLogisticRegression()).Fit(train);

        double mlpAccuracy = ml.BinaryClassification.Evaluate(mlp.Transform(test)).Accuracy;
        double sdcaAccuracy = ml.BinaryClassification.Evaluate(sdca.Transform(test)).Accuracy;
        mlpAccuracy.Should().BeGreaterThan(0.9, "a 16-16 MLP separates the XOR quadrants whatever the features' scales were");
        sdcaAccuracy.Should().BeLessThan(0.7, "no line separates XOR");
    }

    [Fact]
    public void Word2vec_features_feed_ML_NET_logistic_regression()
    {
        var ml = new MLContext(1);
        var rows = Sentiment();
        var train = ml.Data.LoadFromEnumerable(rows[..1500]);
        var test = ml.Data.LoadFromEnumerable(rows[1500..]);
        var pipeline = ml.Transforms.Text.TokenizeIntoWords("Tokens", "Text")
            .Append(ml.Transforms.Text.TrainWord2Vec("Features", "Tokens", vectorSize: 16, epochs: 10, minCount: 1, workers: 1))
            .Append(ml.BinaryClassification.Trainers.SdcaLogisticRegression());

        var model = pipeline.Fit(train);

        var metrics = ml.BinaryClassification.Evaluate(model.Transform(test));
        double majority = Math.Max(rows[1500..].Count(r => r.Label), rows[1500..].Count(r => !r.Label)) / (double)(rows.Length - 1500);
        metrics.Accuracy.Should().BeGreaterThan(majority + 0.05, $"pooled word vectors carry the words' sentiment (majority class: {majority:F3})");
    }

    public sealed class NamedPrediction
    {
        public string Label = "";

        public string PredictedName = "";
    }

    [Fact]
    public void Multiclass_mlp_predicted_key_maps_back_to_the_label_text_through_ML_NET()
    {
        var ml = new MLContext(1);
        var data = ml.Data.LoadFromEnumerable(Spirals(150, 5));
        var split = ml.Data.TrainTestSplit(data, 0.25, seed: 7);
        var pipeline = ml.Transforms.Conversion.MapValueToKey("LabelKey", "Label")
            .Append(ml.MulticlassClassification.Trainers.Mlp(new MlpMulticlassTrainer.Options
            {
                LabelColumnName = "LabelKey", HiddenLayers = [32, 32], NumberOfEpochs = 150, LearningRate = 0.02, Seed = 11, Activation = MlpActivation.Tanh,
            }))
            .Append(ml.Transforms.Conversion.MapKeyToValue("PredictedName", "PredictedLabel"));

        var model = pipeline.Fit(split.TrainSet);

        var scored = model.Transform(split.TestSet);
        ml.MulticlassClassification.Evaluate(scored, labelColumnName: "LabelKey").MicroAccuracy.Should().BeGreaterThan(0.9);
        var predictions = ml.Data.CreateEnumerable<NamedPrediction>(scored, reuseRowObject: false, ignoreMissingColumns: true).ToList();
        predictions.Select(p => p.PredictedName).Should().BeSubsetOf(["red", "green", "blue"]);
        predictions.Count(p => p.PredictedName == p.Label).Should().BeGreaterThan((int)(0.9 * predictions.Count),
            "the predicted name is the text of the predicted key");
    }
}
